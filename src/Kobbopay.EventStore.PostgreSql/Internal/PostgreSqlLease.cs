namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>A lease a begin offers: its id, the time of the begin and when the lease lapses (both in PostgreSQL's microseconds).</summary>
internal readonly record struct PostgreSqlLease(Guid Id, DateTimeOffset Now, DateTimeOffset ExpiresAt);
