namespace Kobbopay.Reconciliation;

/// <summary>What one reconciliation run did and found.</summary>
/// <param name="From">The start of the period, inclusive.</param>
/// <param name="To">The end of the period, exclusive.</param>
/// <param name="MappingVersion">The version of the <see cref="OrderStatusMapping"/> that judged the statuses.</param>
/// <param name="OrdersChecked">How many orders of the period the books listed.</param>
/// <param name="PaymentsChecked">How many payments created in the period the gateway listed.</param>
/// <param name="ExceptionCount">How many exceptions were written to the sink.</param>
/// <param name="ExceptionsByKind">The exceptions counted by kind, ordered by kind; kinds with none are absent.</param>
/// <param name="StartedAt">When the run started.</param>
/// <param name="CompletedAt">When the run completed.</param>
public sealed record ReconciliationSummary(
    DateTimeOffset From,
    DateTimeOffset To,
    string MappingVersion,
    long OrdersChecked,
    long PaymentsChecked,
    long ExceptionCount,
    IReadOnlyDictionary<string, long> ExceptionsByKind,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt)
{
    /// <summary>Gets how many payments created before the period the event-export pass checked again (0 when the run did not follow the export).</summary>
    public long ChangedPaymentsChecked { get; init; }

    /// <summary>
    /// Gets where the event export was read through, to pass as the next run's <see cref="ReconciliationRequest.EventCheckpoint"/>;
    /// <see langword="null"/> when the run did not follow the export. An opaque token: keep it as it is.
    /// </summary>
    public string? EventCheckpoint { get; init; }
}
