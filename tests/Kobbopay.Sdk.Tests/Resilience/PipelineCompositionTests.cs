using System.Net.Http.Headers;
using static Kobbopay.Sdk.Tests.TestSupport.ClientFixture;

namespace Kobbopay.Sdk.Tests.Resilience;

/// <summary>
/// The client's resilience handler (Microsoft.Extensions.Http.Resilience) as an app composes it: next to app-wide
/// handlers, with Retry-After against the time a call has left, and in Polly's telemetry.
/// </summary>
public sealed class PipelineCompositionTests
{
    private const string Gateway = "https://api.kobbopay.test/";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnAppWideStandardResilienceHandler_IsNotStackedOnTheClients(bool defaultsRegisteredFirst)
    {
        // As .NET Aspire's service defaults do: a standard resilience handler on every HttpClient of the app.
        await using var sim = await StartSimulatorAsync(new() { UnavailableRate = 1 });
        ServiceCollection services = new();
        if (defaultsRegisteredFirst)
        {
            services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
        }

        services.AddKobbopayClient(o => Options(sim, x => x.Resilience.MaxRetryAttempts = 2).CopyTo(o));
        if (!defaultsRegisteredFirst)
        {
            services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
        }

        await using ServiceProvider provider = services.BuildServiceProvider();
        using HttpClient http = provider.GetRequiredService<IHttpClientFactory>()
            .CreateClient(KobbopayServiceCollectionExtensions.HttpClientName(KobbopayServiceCollectionExtensions.DefaultName));

        // A POST without an idempotency key answered 503 is sent exactly once: no pipeline resends it.
        using HttpResponseMessage unkeyed = await http.PostAsync("v1/payments", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);
        ((int)unkeyed.StatusCode).ShouldBe(503);
        sim.Requests.Count.ShouldBe(1);

        // A keyed create is retried by the client's own pipeline only: 1 attempt + MaxRetryAttempts (2), not 4 x 3.
        KobbopayClient client = provider.GetRequiredService<KobbopayClient>();
        KobbopayApiException failed = await Should.ThrowAsync<KobbopayApiException>(() => client.CreatePaymentAsync(Request("order-aspire"), cancellationToken: Ct));
        failed.StatusCode.ShouldBe(503);
        sim.Requests.Count.ShouldBe(1 + 3);
        sim.Requests.Skip(1).Select(r => r.IdempotencyKey).Distinct().ShouldHaveSingleItem().ShouldNotBeNull();
    }

    [Fact]
    public async Task RetryAfterBeyondMaxRetryAfter_ThrowsTheRateLimitExceptionAtOnce()
    {
        FakeTimeProvider time = new();
        ScriptedHandler server = new(time);
        server.RespondError(HttpStatusCode.TooManyRequests, "rate_limited", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(45)));
        KobbopayClient client = ScriptedClient(server, time, new KobbopayResilienceOptions { MaxRetryAfter = TimeSpan.FromSeconds(30), UseJitter = false });

        KobbopayRateLimitException limited = await Should.ThrowAsync<KobbopayRateLimitException>(() => Drive(time, client.GetPaymentAsync("pay_1", Ct)));

        limited.RetryAfter.ShouldBe(TimeSpan.FromSeconds(45));
        server.Attempts.Count.ShouldBe(1);
        (time.GetUtcNow() - time.Start).ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task RetryAfterBeyondWhatIsLeftOfTheTotalTimeout_ThrowsTheRateLimitExceptionAtOnce_NotATimeout()
    {
        // Total 10 s. The first attempt fails (503) and is retried after 2 s; the second asks to wait 9 s, within
        // MaxRetryAfter (30 s) but beyond the 8 s the call has left: waiting would only end in a timeout.
        FakeTimeProvider time = new();
        ScriptedHandler server = new(time);
        server
            .RespondError(HttpStatusCode.ServiceUnavailable, "unavailable")
            .RespondError(HttpStatusCode.TooManyRequests, "rate_limited", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(9)));
        KobbopayClient client = ScriptedClient(server, time, new KobbopayResilienceOptions
        {
            TotalRequestTimeout = TimeSpan.FromSeconds(10),
            AttemptTimeout = TimeSpan.FromSeconds(5),
            RetryBaseDelay = TimeSpan.FromSeconds(2),
            MaxRetryAfter = TimeSpan.FromSeconds(30),
            UseJitter = false,
        });

        KobbopayRateLimitException limited = await Should.ThrowAsync<KobbopayRateLimitException>(() => Drive(time, client.CreatePaymentAsync(Request("order-1"), cancellationToken: Ct)));

        limited.RetryAfter.ShouldBe(TimeSpan.FromSeconds(9));
        server.Attempts.Select(a => a.At).ShouldBe([TimeSpan.Zero, TimeSpan.FromSeconds(2)]);
        (time.GetUtcNow() - time.Start).ShouldBe(TimeSpan.FromSeconds(2));

        // The retried create is the same request: one key, the same bytes, sent with a Content-Length (not chunked).
        server.Attempts.Select(a => a.IdempotencyKey).Distinct().ShouldHaveSingleItem().ShouldNotBeNull();
        server.Attempts.Select(a => Encoding.UTF8.GetString(a.Body!)).Distinct().ShouldHaveSingleItem().ShouldStartWith("{\"amount\":\"10.50\"");
        server.Attempts.ShouldAllBe(a => a.Request.Content is ByteArrayContent); // a buffered body: its Content-Length is known
    }

    [Fact]
    public async Task RetryAfterWithinWhatIsLeft_IsWaitedOnTheClock_AndTheCallSucceeds()
    {
        FakeTimeProvider time = new();
        ScriptedHandler server = new(time);
        server
            .RespondError(HttpStatusCode.TooManyRequests, "rate_limited", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)))
            .Respond(HttpStatusCode.OK, body: PaymentJson("pay_1"));
        KobbopayClient client = ScriptedClient(server, time, new KobbopayResilienceOptions { TotalRequestTimeout = TimeSpan.FromSeconds(10), AttemptTimeout = TimeSpan.FromSeconds(5), UseJitter = false });

        Payment payment = await Drive(time, client.GetPaymentAsync("pay_1", Ct));

        payment.Id.ShouldBe("pay_1");
        server.Attempts.Select(a => a.At).ShouldBe([TimeSpan.Zero, TimeSpan.FromSeconds(7)]);
    }

    [Fact]
    public async Task PollysMeter_CarriesTheClientsPipelineName_AndTheCircuitIsLoggedInDi_AndPollyLogsNothingOfItsOwn()
    {
        using MetricCollector<int> pollyEvents = new(meterScope: null, "Polly", "resilience.polly.strategy.events");

        ScriptedHandler server = new(new FakeTimeProvider()) { RepeatLast = true };
        server.RespondError(HttpStatusCode.InternalServerError, "internal_error");
        ServiceCollection services = new();
        services.AddLogging(b => b.AddFakeLogging().SetMinimumLevel(LogLevel.Debug));
        services.AddKobbopayClient(o =>
        {
            o.BaseAddress = new Uri(Gateway);
            o.ApiKey = "kp_test_composition";
            o.Resilience = new KobbopayResilienceOptions
            {
                MaxRetryAttempts = 1,
                RetryBaseDelay = TimeSpan.FromMilliseconds(1),
                MaxRetryDelay = TimeSpan.FromMilliseconds(1),
                CircuitBreakerMinimumThroughput = 2,
                CircuitBreakerFailureRatio = 0.5,
            };
        }).ConfigurePrimaryHttpMessageHandler(() => server);
        await using ServiceProvider provider = services.BuildServiceProvider();
        KobbopayClient client = provider.GetRequiredService<KobbopayClient>();

        await Should.ThrowAsync<KobbopayException>(() => client.GetPaymentAsync("pay_1", Ct));

        // Other tests' pipelines (the app-wide standard handlers) count on the same process-wide meter.
        CollectedMeasurement<int>[] ours = [.. pollyEvents.GetMeasurementSnapshot()
            .Where(m => m.Tags.TryGetValue("pipeline.name", out object? pipeline) && pipeline?.ToString()?.StartsWith("Kobbopay", StringComparison.Ordinal) == true)];
        ours.Select(m => m.Tags["pipeline.name"]?.ToString()).Distinct().ShouldBe(["Kobbopay.Sdk:Kobbopay-kobbopay"]);
        string?[] names = [.. ours.Select(m => m.Tags["event.name"]?.ToString())];
        names.ShouldContain("OnRetry");
        names.ShouldContain("OnCircuitOpened");
        FakeLogRecord opened = provider.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == 103).ShouldHaveSingleItem();
        opened.Category.ShouldBe("Kobbopay.Sdk.Resilience");
        opened.Level.ShouldBe(LogLevel.Warning);

        // The retries and the open circuit are logged once, by the pipeline; Polly's own lines would repeat them.
        IReadOnlyList<FakeLogRecord> records = provider.GetFakeLogCollector().GetSnapshot();
        records.ShouldContain(r => r.Category == "Kobbopay.Sdk.Resilience" && r.Level == LogLevel.Warning && r.Id.Id != 103, "a retry logged by the pipeline");
        records.Where(r => r.Category != null && r.Category.StartsWith("Polly", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    private static KobbopayClient ScriptedClient(ScriptedHandler server, FakeTimeProvider time, KobbopayResilienceOptions resilience) =>
        KobbopayClient.Create(
            new KobbopayClientOptions { BaseAddress = new Uri(Gateway), ApiKey = "kp_test_composition", Resilience = resilience },
            primaryHandler: server,
            timeProvider: time);

    private static string PaymentJson(string id) => Encoding.UTF8.GetString(KobbopaySerializer.SerializeToUtf8Bytes(KobbopayModelFactory.Payment(id: id)));

    /// <summary>
    /// Advances the fake clock step by step (as the resilience harness does) until <paramref name="call"/> completes, at
    /// most for the 30 s a call here can last: no real waiting.
    /// </summary>
    private static Task<T> Drive<T>(FakeTimeProvider time, Task<T> call) =>
        time.AdvanceUntilCompletedAsync(call, ResilienceHarness.Step, new KobbopayResilienceOptions().TotalRequestTimeout);
}
