namespace Kobbopay.Reconciliation;

/// <summary>Where scheduled reconciliation stands, kept durably between runs and shared by every instance of the app.</summary>
/// <param name="EventCheckpoint">Where the last run read the event export through (<see cref="ReconciliationSummary.EventCheckpoint"/>), or <see langword="null"/>.</param>
/// <param name="ReconciledThrough">The end of the last run's period: the gateway's truth is reconciled up to then.</param>
/// <param name="StartedAt">When the last run started; a run is due once per <see cref="KobbopayReconciliationOptions.Interval"/> after it.</param>
/// <param name="CompletedAt">When the last run completed.</param>
public sealed record ReconciliationCheckpoint(string? EventCheckpoint, DateTimeOffset ReconciledThrough, DateTimeOffset StartedAt, DateTimeOffset CompletedAt);
