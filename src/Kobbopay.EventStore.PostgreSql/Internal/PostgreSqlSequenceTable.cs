using Npgsql;

namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>
/// The highest sequence handled per payment, in a table beside the events (<c>{table}_sequences</c>, created by schema
/// version 2): read, raised as a maximum, and raised together with an event's complete in one statement (so one
/// transaction, one commit). The upsert's <c>WHERE</c> is re-checked on the locked row, so concurrent writers keep the
/// highest and a late writer never lowers it. Times come from the events table's clock.
/// </summary>
internal sealed class PostgreSqlSequenceTable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlEventTable _events;
    private readonly string _read;
    private readonly string _raise;
    private readonly string _completeAndRaise;

    public PostgreSqlSequenceTable(NpgsqlDataSource dataSource, PostgreSqlStatements sql, PostgreSqlEventTable events)
    {
        _dataSource = dataSource;
        _events = events;
        string s = sql.Qualify(PostgreSqlStatements.SequencesTable(sql.TableName));

        // $1 payment key.
        _read = $"SELECT sequence FROM {s} WHERE payment_key = $1";

        // $1 payment key, $2 sequence, $3 now.
        string raise = $"""
            INSERT INTO {s} AS s (payment_key, sequence, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (payment_key) DO UPDATE SET sequence = EXCLUDED.sequence, updated_at = EXCLUDED.updated_at
            WHERE s.sequence < EXCLUDED.sequence
            """;
        _raise = raise;

        // $1 payment key, $2 sequence, $3 now, $4 key, $5 lease id. The data-modifying CTE always runs; the command's row
        // count is the UPDATE's, so it says whether the lease was still the caller's.
        _completeAndRaise = $"""
            WITH raised AS ({raise})
            UPDATE {sql.Qualify(sql.TableName)} SET completed_at = $3 WHERE key = $4 AND lease_id = $5 AND completed_at IS NULL
            """;
    }

    public async ValueTask<long?> ReadAsync(string paymentKey, CancellationToken cancellationToken)
    {
        NpgsqlCommand command = _dataSource.CreateCommand(_read);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = paymentKey });
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long highest ? highest : null;
        }
    }

    public ValueTask<int> RaiseAsync(string paymentKey, long sequence, CancellationToken cancellationToken) =>
        ExecuteAsync(_raise, paymentKey, sequence, null, cancellationToken);

    public async ValueTask<bool> CompleteAndRaiseAsync(string key, Guid leaseId, string paymentKey, long sequence, CancellationToken cancellationToken) =>
        await ExecuteAsync(_completeAndRaise, paymentKey, sequence, (key, leaseId), cancellationToken).ConfigureAwait(false) == 1;

    private async ValueTask<int> ExecuteAsync(string text, string paymentKey, long sequence, (string Key, Guid LeaseId)? lease, CancellationToken cancellationToken)
    {
        NpgsqlCommand command = _dataSource.CreateCommand(text);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = paymentKey });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = _events.Now().UtcDateTime });
            if (lease is { } held)
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = held.Key });
                command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = held.LeaseId });
            }

            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
