using System.Data.Common;

namespace Kobbopay.Reconciliation.Internal;

/// <summary>ADO.NET commands for the checkpoint stores, which talk to the app's <see cref="DbDataSource"/> and depend on no driver.</summary>
internal static class Sql
{
    /// <summary>Makes a command in <paramref name="transaction"/> with named parameters (<c>@name</c> in the text).</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string text, params (string Name, object? Value)[] parameters)
    {
        DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        foreach ((string name, object? value) in parameters)
        {
            DbParameter parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>Runs a statement and disposes its command.</summary>
    /// <returns>The rows it changed.</returns>
    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string text, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        DbCommand command = Command(connection, transaction, text, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a query and disposes its command.</summary>
    /// <returns>The first column of the first row.</returns>
    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string text, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        DbCommand command = Command(connection, transaction, text, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the one checkpoint row a query selects (event_checkpoint, reconciled_through, started_at, completed_at).</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The transaction, or <see langword="null"/>.</param>
    /// <param name="text">The query.</param>
    /// <param name="readTime">Reads a time column as the dialect stores it.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <param name="parameters">The query's parameters.</param>
    /// <returns>The checkpoint, or <see langword="null"/> when there is no row.</returns>
    public static async Task<ReconciliationCheckpoint?> ReadCheckpointAsync(
        DbConnection connection, DbTransaction? transaction, string text, Func<DbDataReader, int, DateTimeOffset> readTime, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        DbCommand command = Command(connection, transaction, text, parameters);
        await using (command.ConfigureAwait(false))
        {
            DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                return new ReconciliationCheckpoint(
                    await reader.IsDBNullAsync(0, cancellationToken).ConfigureAwait(false) ? null : reader.GetString(0),
                    readTime(reader, 1),
                    readTime(reader, 2),
                    readTime(reader, 3));
            }
        }
    }
}
