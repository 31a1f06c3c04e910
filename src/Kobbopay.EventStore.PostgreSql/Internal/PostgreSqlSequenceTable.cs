using Npgsql;

namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>
/// The highest sequence handled per payment, in a table beside the events (<c>{table}_sequences</c>, created by schema
/// version 2): read, and raised as a maximum. The upsert's <c>WHERE</c> is re-checked on the locked row, so concurrent
/// writers keep the highest and a late writer never lowers it. Raised with an event's complete, it goes through the group
/// commit instead (<see cref="PostgreSqlEventTable.CompleteAsync(IReadOnlyList{PostgreSqlCompletion}, CancellationToken)"/>);
/// read with a begin, it is a column of the begin's statement. Times come from the events table's clock.
/// </summary>
internal sealed class PostgreSqlSequenceTable(NpgsqlDataSource dataSource, PostgreSqlStatements sql, PostgreSqlEventTable events)
{
    public async ValueTask<long?> ReadAsync(string paymentKey, CancellationToken cancellationToken)
    {
        NpgsqlCommand command = dataSource.CreateCommand(sql.ReadSequence);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = paymentKey });
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long highest ? highest : null;
        }
    }

    public async ValueTask<int> RaiseAsync(string paymentKey, long sequence, CancellationToken cancellationToken)
    {
        NpgsqlCommand command = dataSource.CreateCommand(sql.RaiseSequence);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = paymentKey });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = events.Now().UtcDateTime });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
