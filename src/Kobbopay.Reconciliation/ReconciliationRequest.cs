namespace Kobbopay.Reconciliation;

/// <summary>What one reconciliation run covers: a period, and optionally the changes to older payments since an event-export checkpoint.</summary>
public sealed class ReconciliationRequest
{
    /// <summary>Gets the start of the period, inclusive: the books' orders and the gateway's payments created from then on are compared.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Gets the end of the period, exclusive.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>
    /// Gets whether the run also follows the gateway's event export (a third pass): every payment created before
    /// <see cref="From"/> that has an event after <see cref="EventCheckpoint"/> is checked against its order again, so a
    /// confirmation or a late payment on an older payment is not missed once its period has been reconciled. The summary's
    /// <see cref="ReconciliationSummary.EventCheckpoint"/> is where the next run continues.
    /// </summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool FollowEventExport { get; init; }

    /// <summary>
    /// Gets the checkpoint to follow the event export from: the <see cref="ReconciliationSummary.EventCheckpoint"/> of the
    /// previous run, kept by the caller. <see langword="null"/> or empty: from the first event created at or after
    /// <see cref="From"/>. Used only with <see cref="FollowEventExport"/>.
    /// </summary>
    public string? EventCheckpoint { get; init; }

    /// <summary>
    /// Gets where the counts so far go each time one rises (an operator's progress display), on the run's own flow; the
    /// last report equals the summary's counts. <see langword="null"/> for nobody.
    /// </summary>
    public IProgress<ReconciliationProgress>? Progress { get; init; }
}
