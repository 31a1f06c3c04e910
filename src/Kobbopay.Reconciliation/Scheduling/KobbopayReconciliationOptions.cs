using Kobbopay.Shared.Options;

namespace Kobbopay.Reconciliation;

/// <summary>How scheduled reconciliation (<c>AddKobbopayReconciliation</c>) runs; checked when the host starts.</summary>
public sealed class KobbopayReconciliationOptions
{
    /// <summary>The configuration path the options' messages name (<c>Kobbopay:Reconciliation:Interval must be …</c>).</summary>
    public const string SectionName = "Kobbopay:Reconciliation";

    private const string ThirtyDays = "30.00:00:00";

    /// <summary>
    /// Gets or sets how often a run is due. Runs are aligned to the clock (an hour's interval runs at the top of each
    /// hour), so every instance of the app wakes at the same moments; one runs, the others see the run and skip. An
    /// instance that starts and finds no run for the current interval runs at once.
    /// </summary>
    /// <value>Defaults to 1 hour. Between 1 second and 30 days.</value>
    [SettingRange("00:00:01", ThirtyDays, "between 1 second and 30 days")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets how far back each run's period reaches: orders and payments created in it are compared again on each
    /// run, so a payment that completes, expires or is paid late within it is seen. Older payments are checked again when
    /// the event export shows them changing (<see cref="FollowEventExport"/>).
    /// </summary>
    /// <value>Defaults to 3 days. Between 1 minute and 30 days, and longer than <see cref="SettleTime"/>.</value>
    [SettingRange("00:01:00", ThirtyDays, "between 1 minute and 30 days")]
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// Gets or sets how recent an order or payment may be and still be left to the next run: the books and the gateway
    /// are written moments apart, so a run's period ends this long before it starts.
    /// </summary>
    /// <value>Defaults to 5 minutes. Between zero and 1 day.</value>
    [SettingRange("00:00:00", "1.00:00:00", "between zero and 1 day")]
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets whether runs follow the event export from the saved checkpoint, to check older payments that changed.</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool FollowEventExport { get; set; } = true;

    /// <summary>Gets or sets how the books' statuses read in the gateway's lifecycle.</summary>
    /// <value>Defaults to <see cref="OrderStatusMapping.Identity"/>: the books use the gateway's names.</value>
    public OrderStatusMapping StatusMapping { get; set; } = OrderStatusMapping.Identity;

    /// <inheritdoc/>
    public override string ToString() =>
        $"Reconciliation every {Interval}, lookback {Lookback}, settle {SettleTime}, follow export {FollowEventExport}, {StatusMapping}";
}
