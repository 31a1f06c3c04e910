namespace Kobbopay.EventStore.Tests.TestSupport;

/// <summary>
/// A row lock on one key of a store's table, held by a transaction of another connection until disposed (then committed):
/// holds the store's batch in flight on that key while the next calls gather behind it.
/// </summary>
internal sealed class PostgresRowLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private PostgresRowLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<PostgresRowLock> TakeAsync(PostgreSqlWebhookEventStore store, string key, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection = new(PostgresDatabase.RequireConnectionString());
        await connection.OpenAsync(cancellationToken);
        NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using NpgsqlCommand lockRow = new($"SELECT 1 FROM {store.TableName} WHERE key = $1 FOR UPDATE", connection, transaction);
        lockRow.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        (await lockRow.ExecuteScalarAsync(cancellationToken)).ShouldBe(1);
        return new PostgresRowLock(connection, transaction);
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.CommitAsync(TestContext.Current.CancellationToken);
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
