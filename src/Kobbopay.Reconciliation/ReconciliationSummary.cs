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
    DateTimeOffset CompletedAt);
