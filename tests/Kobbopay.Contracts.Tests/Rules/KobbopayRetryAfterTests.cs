using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.Contracts.Tests.Rules;

public sealed class KobbopayRetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData(" 120 ", 120)]
    [InlineData("86400", 86_400)]
    public void TryParse_Seconds_IsTheDelay(string value, int seconds)
    {
        KobbopayRetryAfter.TryParse(value, new FakeTimeProvider(Now), out TimeSpan delay).ShouldBeTrue();

        delay.ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public void TryParse_HttpDate_IsMeasuredAgainstTheGivenClock_NotTheMachines()
    {
        FakeTimeProvider clock = new(Now);

        KobbopayRetryAfter.TryParse("Sat, 21 Nov 2026 10:02:30 GMT", clock, out TimeSpan delay).ShouldBeTrue();

        delay.ShouldBe(TimeSpan.FromSeconds(150));
    }

    [Fact]
    public void TryParse_HttpDateInThePast_IsZero()
    {
        KobbopayRetryAfter.TryParse("Sat, 21 Nov 2026 09:59:00 GMT", new FakeTimeProvider(Now), out TimeSpan delay).ShouldBeTrue();

        delay.ShouldBe(TimeSpan.Zero);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("soon")]
    [InlineData("21 Nov 2026")]
    public void TryParse_Unusable_IsFalse(string? value)
    {
        KobbopayRetryAfter.TryParse(value, new FakeTimeProvider(Now), out TimeSpan delay).ShouldBeFalse();

        delay.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void TryGetDelay_ReadsAParsedHeader_DeltaAndDate()
    {
        FakeTimeProvider clock = new(Now);

        KobbopayRetryAfter.TryGetDelay(new RetryConditionHeaderValue(TimeSpan.FromSeconds(42)), clock, out TimeSpan delta).ShouldBeTrue();
        KobbopayRetryAfter.TryGetDelay(new RetryConditionHeaderValue(Now.AddMinutes(3)), clock, out TimeSpan date).ShouldBeTrue();
        KobbopayRetryAfter.TryGetDelay(null, clock, out _).ShouldBeFalse();

        (delta, date).ShouldBe((TimeSpan.FromSeconds(42), TimeSpan.FromMinutes(3)));
    }

    [Fact]
    public void TryGetDelay_FollowsTheClockAsItMoves()
    {
        FakeTimeProvider clock = new(Now);
        RetryConditionHeaderValue header = new(Now.AddSeconds(60));

        clock.Advance(TimeSpan.FromSeconds(45));

        KobbopayRetryAfter.TryGetDelay(header, clock, out TimeSpan delay).ShouldBeTrue();
        delay.ShouldBe(TimeSpan.FromSeconds(15));
    }
}
