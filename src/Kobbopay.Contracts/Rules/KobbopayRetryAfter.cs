using System.Globalization;
using System.Net.Http.Headers;

namespace Kobbopay.Contracts;

/// <summary>
/// Reads the contract's <c>Retry-After</c> (on 429, and on a webhook answer): delta seconds, or an HTTP date measured
/// against a <see cref="TimeProvider"/>, never the machine's clock directly, so tests and simulations control it.
/// </summary>
public static class KobbopayRetryAfter
{
    /// <summary>Reads the delay a parsed <c>Retry-After</c> header asks for.</summary>
    /// <param name="header">The header (<c>response.Headers.RetryAfter</c>), or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock an HTTP date is measured against.</param>
    /// <param name="delay">The delay asked for, never negative (a date in the past is zero).</param>
    /// <returns><see langword="true"/> when the header holds a usable value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public static bool TryGetDelay(RetryConditionHeaderValue? header, TimeProvider timeProvider, out TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        switch (header)
        {
            case { Delta: { } delta }:
                delay = delta > TimeSpan.Zero ? delta : TimeSpan.Zero;
                return true;
            case { Date: { } date }:
                TimeSpan untilDate = date - timeProvider.GetUtcNow();
                delay = untilDate > TimeSpan.Zero ? untilDate : TimeSpan.Zero;
                return true;
            default:
                delay = default;
                return false;
        }
    }

    /// <summary>Reads the delay a raw <c>Retry-After</c> value asks for: whole seconds (<c>120</c>) or an HTTP date (<c>Wed, 21 Oct 2026 07:28:00 GMT</c>).</summary>
    /// <param name="value">The header's value, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock an HTTP date is measured against.</param>
    /// <param name="delay">The delay asked for, never negative (a date in the past is zero).</param>
    /// <returns><see langword="true"/> when the value is usable.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public static bool TryParse(string? value, TimeProvider timeProvider, out TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            delay = default;
            return false;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            delay = TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.MaxValue.TotalSeconds));
            return true;
        }

        return RetryConditionHeaderValue.TryParse(value, out RetryConditionHeaderValue? header) && TryGetDelay(header, timeProvider, out delay)
            || Fail(out delay);
    }

    private static bool Fail(out TimeSpan delay)
    {
        delay = default;
        return false;
    }
}
