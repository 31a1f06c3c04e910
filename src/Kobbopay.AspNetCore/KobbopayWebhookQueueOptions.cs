using Kobbopay.Shared.Options;

namespace Kobbopay.AspNetCore;

/// <summary>
/// Settings of queued processing (<see cref="KobbopayWebhooksBuilder.UseQueuedProcessing"/>): how the background worker
/// claims events from the inbox, how often it retries a failing event, and when it parks one for review. Validated when
/// the application starts; every failure names the setting.
/// </summary>
public sealed class KobbopayWebhookQueueOptions
{
    /// <summary>The configuration section these options are read from by convention, and the name validation messages use.</summary>
    public const string DefaultSectionName = "Kobbopay:Webhooks:Queue";

    /// <summary>Gets or sets how many runs an event gets before it is parked for review (list, requeue, discard through <c>IWebhookInbox</c>).</summary>
    /// <value>Defaults to 8; between 1 and 100.</value>
    [SettingRange(1, 100, "between 1 and 100")]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Gets or sets the wait before the second run of a failing event; each further wait doubles, up to <see cref="MaxRetryDelay"/>, and is shortened by a random 0–50 % so that instances do not retry in step.</summary>
    /// <value>Defaults to 10 seconds.</value>
    [SettingRange("00:00:00", "1.00:00:00", "more than zero and at most one day", MinimumIsExclusive = true)]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the longest wait between two runs of a failing event.</summary>
    /// <value>Defaults to 10 minutes.</value>
    [SettingRange("00:00:00", "1.00:00:00", "more than zero and at most one day", MinimumIsExclusive = true)]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets how many events the worker claims at a time.</summary>
    /// <value>Defaults to 32; between 1 and 1000.</value>
    [SettingRange(1, 1000, "between 1 and 1000")]
    public int BatchSize { get; set; } = 32;

    /// <summary>
    /// Gets or sets how long an idle worker waits before looking at the inbox again. A delivery to this instance wakes it at
    /// once; the interval bounds how late it sees events enqueued by other instances, retries that fell due, and claims
    /// whose lease lapsed.
    /// </summary>
    /// <value>Defaults to 5 seconds.</value>
    [SettingRange("00:00:00", "01:00:00", "more than zero and at most one hour", MinimumIsExclusive = true)]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Returns a description of the settings.</summary>
    /// <returns>Every setting.</returns>
    public override string ToString() =>
        $"KobbopayWebhookQueueOptions {{ MaxAttempts = {MaxAttempts}, FirstRetryDelay = {FirstRetryDelay}, MaxRetryDelay = {MaxRetryDelay}, BatchSize = {BatchSize}, PollInterval = {PollInterval} }}";
}
