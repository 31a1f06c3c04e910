namespace Kobbopay.EventStore.Internal;

/// <summary>The statements a durable inbox runs, one per operation; each store's subclass writes them in its dialect.</summary>
internal abstract class InboxStatements
{
    /// <summary>Gets the inbox table's name: the events table's plus <c>_inbox</c>.</summary>
    public string TableName { get; protected init; } = string.Empty;

    public string Enqueue { get; protected init; } = string.Empty;

    /// <summary>Gets the claim: one statement that leases due rows and returns them (<see cref="InboxEntryReader.Columns"/>).</summary>
    public string Claim { get; protected init; } = string.Empty;

    public string Complete { get; protected init; } = string.Empty;

    public string Fail { get; protected init; } = string.Empty;

    public string ListParked { get; protected init; } = string.Empty;

    public string Requeue { get; protected init; } = string.Empty;

    public string Discard { get; protected init; } = string.Empty;

    public string Purge { get; protected init; } = string.Empty;

    /// <summary>Gets the health probe: a count of at most one row of the inbox table.</summary>
    public string Probe { get; protected init; } = string.Empty;
}
