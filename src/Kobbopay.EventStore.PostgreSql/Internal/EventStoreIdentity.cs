namespace Kobbopay.EventStore.Internal;

/// <summary>What the shared event store core (src/Shared/EventStore) says of this store in its logs.</summary>
internal static class EventStoreIdentity
{
    /// <summary>The store's name in log messages.</summary>
    public const string Name = "PostgreSQL";

    /// <summary>The first of the store's log event ids (420 to 439).</summary>
    public const int FirstEventId = 420;
}
