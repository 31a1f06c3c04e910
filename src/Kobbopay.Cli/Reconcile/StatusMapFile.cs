namespace Kobbopay.Cli.Reconcile;

/// <summary>
/// The <c>--status-map</c> file: <c>{"version":"shop-2026-11","statuses":{"awaiting":"pending","paid":"paid",…}}</c>, each
/// merchant status (matched exactly) and the gateway status it means: <c>pending</c>, <c>paid</c>, <c>confirmed</c> or <c>expired</c>.
/// </summary>
internal sealed class StatusMapFile
{
    /// <summary>Gets or sets the mapping's version; every report names it.</summary>
    public string? Version { get; set; }

    /// <summary>Gets or sets each merchant status and the gateway status it means.</summary>
    public Dictionary<string, string?>? Statuses { get; set; }
}
