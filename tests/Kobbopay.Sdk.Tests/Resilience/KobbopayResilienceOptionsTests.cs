using Kobbopay.Sdk.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.Sdk.Tests.Resilience;

public sealed class KobbopayResilienceOptionsTests
{
    private const string Prefix = "Kobbopay:Resilience";

    [Fact]
    public void Defaults_AreTheDocumentedOnes_AndValid()
    {
        KobbopayResilienceOptions options = new();

        options.TotalRequestTimeout.ShouldBe(TimeSpan.FromSeconds(30));
        options.AttemptTimeout.ShouldBe(TimeSpan.FromSeconds(10));
        options.MaxRetryAttempts.ShouldBe(3);
        options.RetryBaseDelay.ShouldBe(TimeSpan.FromMilliseconds(500));
        options.MaxRetryDelay.ShouldBe(TimeSpan.FromSeconds(10));
        options.UseJitter.ShouldBeTrue();
        options.MaxRetryAfter.ShouldBe(TimeSpan.FromSeconds(30));
        options.EnableCircuitBreaker.ShouldBeTrue();
        options.CircuitBreakerFailureRatio.ShouldBe(0.1);
        options.CircuitBreakerMinimumThroughput.ShouldBe(100);
        options.CircuitBreakerSamplingDuration.ShouldBe(TimeSpan.FromSeconds(30));
        options.CircuitBreakerBreakDuration.ShouldBe(TimeSpan.FromSeconds(5));
        Problems(options).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_AttemptTimeoutLongerThanTotal_NamesTheSettingAndBothValues()
    {
        KobbopayResilienceOptions options = new() { AttemptTimeout = TimeSpan.FromMinutes(1) };

        Problems(options).ShouldHaveSingleItem()
            .ShouldBe("Kobbopay:Resilience:AttemptTimeout must be no longer than TotalRequestTimeout (30 s); it is 00:01:00.");
    }

    public static TheoryData<string, Action<KobbopayResilienceOptions>> BadSettings => new()
    {
        { "TotalRequestTimeout", o => o.TotalRequestTimeout = TimeSpan.FromDays(2) },
        { "AttemptTimeout", o => o.AttemptTimeout = TimeSpan.FromMilliseconds(-1) },
        { "AttemptTimeout", o => o.AttemptTimeout = TimeSpan.FromMilliseconds(5) },
        { "MaxRetryAttempts", o => o.MaxRetryAttempts = -1 },
        { "MaxRetryAttempts", o => o.MaxRetryAttempts = 21 },
        { "RetryBaseDelay", o => o.RetryBaseDelay = TimeSpan.FromSeconds(-1) },
        { "RetryBaseDelay", o => o.RetryBaseDelay = TimeSpan.FromSeconds(11) },
        { "MaxRetryDelay", o => { o.MaxRetryDelay = TimeSpan.FromDays(2); o.RetryBaseDelay = TimeSpan.Zero; } },
        { "MaxRetryAfter", o => o.MaxRetryAfter = TimeSpan.FromSeconds(-1) },
        { "CircuitBreakerFailureRatio", o => o.CircuitBreakerFailureRatio = 0 },
        { "CircuitBreakerFailureRatio", o => o.CircuitBreakerFailureRatio = 1.5 },
        { "CircuitBreakerFailureRatio", o => o.CircuitBreakerFailureRatio = double.NaN },
        { "CircuitBreakerMinimumThroughput", o => o.CircuitBreakerMinimumThroughput = 1 },
        { "CircuitBreakerSamplingDuration", o => o.CircuitBreakerSamplingDuration = TimeSpan.FromMilliseconds(499) },
        { "CircuitBreakerBreakDuration", o => o.CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(100) },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Validate_BadSetting_YieldsOneMessageNamingIt(string name, Action<KobbopayResilienceOptions> configure)
    {
        KobbopayResilienceOptions options = new();
        configure(options);

        Problems(options).ShouldHaveSingleItem().ShouldStartWith($"{Prefix}:{name} ");
    }

    [Fact]
    public void Validate_SeveralBadSettings_YieldsOneMessageEach()
    {
        KobbopayResilienceOptions options = new()
        {
            MaxRetryAttempts = 50,
            CircuitBreakerMinimumThroughput = 0,
            MaxRetryAfter = TimeSpan.FromSeconds(-5),
        };

        Problems(options).Select(m => m.Split(' ')[0]).ShouldBe(
            [$"{Prefix}:MaxRetryAttempts", $"{Prefix}:MaxRetryAfter", $"{Prefix}:CircuitBreakerMinimumThroughput"]);
    }

    [Fact]
    public void Validate_PollysLimits_AreAccepted()
    {
        KobbopayResilienceOptions options = new()
        {
            TotalRequestTimeout = TimeSpan.FromMilliseconds(10),
            AttemptTimeout = TimeSpan.FromMilliseconds(10),
            MaxRetryAttempts = 20,
            RetryBaseDelay = TimeSpan.Zero,
            MaxRetryDelay = TimeSpan.Zero,
            MaxRetryAfter = TimeSpan.Zero,
            CircuitBreakerFailureRatio = 1,
            CircuitBreakerMinimumThroughput = 2,
            CircuitBreakerSamplingDuration = TimeSpan.FromMilliseconds(500),
            CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(500),
        };

        Problems(options).ShouldBeEmpty();
        Should.NotThrow(() => KobbopayResiliencePipeline.Create(options, new FakeTimeProvider(), NullLogger.Instance));
    }

    [Fact]
    public void Create_WithABadSetting_ThrowsNamingIt()
    {
        KobbopayResilienceOptions options = new() { CircuitBreakerBreakDuration = TimeSpan.Zero };

        ArgumentException exception = Should.Throw<ArgumentException>(() => KobbopayResiliencePipeline.Create(options, new FakeTimeProvider(), NullLogger.Instance));

        exception.Message.ShouldContain("Resilience:CircuitBreakerBreakDuration");
    }

    [Theory]
    [InlineData("""{"error":{"code":"idempotency_key_in_use","message":"m"}}""", true)]
    [InlineData("""{"other":{"code":"x"},"error":{"message":"m","param":null,"code":"idempotency_key_in_use"}}""", true)]
    [InlineData("""{"error":{"code":"idempotency_key_reused"}}""", false)]
    [InlineData("""{"code":"idempotency_key_in_use"}""", false)]
    [InlineData("""{"error":"idempotency_key_in_use"}""", false)]
    [InlineData("""{"error":{"code":"idempotency_key_in_use" """, false)]
    [InlineData("not json", false)]
    [InlineData("", false)]
    public void HasErrorCode_FindsErrorCode_Only(string body, bool expected)
    {
        KobbopayResiliencePipeline.HasErrorCode(System.Text.Encoding.UTF8.GetBytes(body), "idempotency_key_in_use"u8).ShouldBe(expected);
    }

    private static IEnumerable<string> Problems(KobbopayResilienceOptions options) =>
        KobbopayResilienceOptionsCustomValidator.Validate(options, Prefix).Failures ?? [];
}
