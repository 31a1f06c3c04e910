using Kobbopay.Shared.Options;

namespace Kobbopay.AspNetCore;

/// <summary>
/// Settings of the <c>kobbopay-webhooks</c> health check added by <c>AddKobbopayHealthChecks</c>: it reports Degraded
/// when the signature failures, or the handler failures, of the deliveries within <see cref="Window"/> reach their
/// threshold. Validated when the application starts; each failure names the setting (section <c>Kobbopay:HealthChecks</c>
/// by convention).
/// </summary>
public sealed class KobbopayHealthCheckOptions
{
    /// <summary>Gets or sets how far back the failures are counted.</summary>
    /// <value>Defaults to 5 minutes; between 1 second and 1 day.</value>
    [SettingRange("00:00:01", "1.00:00:00", "between 1 second and 1 day")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets how many deliveries that failed signature verification (answered 401) within <see cref="Window"/>
    /// make the check Degraded: a burst means forged traffic, or a secret the gateway and the app disagree on.
    /// </summary>
    /// <value>Defaults to 10; between 1 and 1,000,000.</value>
    [SettingRange(1, 1_000_000, "between 1 and 1000000")]
    public int SignatureFailureThreshold { get; set; } = 10;

    /// <summary>Gets or sets how many deliveries whose handler threw (answered 500) within <see cref="Window"/> make the check Degraded.</summary>
    /// <value>Defaults to 5; between 1 and 1,000,000.</value>
    [SettingRange(1, 1_000_000, "between 1 and 1000000")]
    public int HandlerFailureThreshold { get; set; } = 5;
}
