using System.Runtime.CompilerServices;
using Kobbopay.EventStore.Internal;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>
/// The events table's schema: creates the schema (when missing) and the tables, or upgrades them to
/// <see cref="PostgreSqlWebhookEventStore.SchemaVersion"/>, in one transaction under an advisory lock (safe from every
/// instance at once); or, with AutoMigrate off, checks that they are current. Runs once per store, before its first statement.
/// </summary>
internal sealed class PostgreSqlMigrations(NpgsqlDataSource dataSource, PostgreSqlStatements sql, PostgreSqlEventTable table, bool autoMigrate, string server, ILogger logger)
{
    private const int SchemaVersion = PostgreSqlWebhookEventStore.SchemaVersion;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    private string TableName => sql.Schema + "." + sql.TableName;

    /// <summary>Migrates or checks the schema, once: the first call does, the others wait for it or return at once.</summary>
    public async ValueTask EnsureAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready)
            {
                return;
            }

            if (autoMigrate)
            {
                await MigrateCoreAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await CheckAsync(cancellationToken).ConfigureAwait(false);
            }

            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Migrates the schema whatever AutoMigrate says.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await MigrateCoreAsync(cancellationToken).ConfigureAwait(false);
            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string commandText, CancellationToken cancellationToken)
    {
        NpgsqlCommand command = new(commandText, connection, transaction);
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string commandText, string argument, CancellationToken cancellationToken)
    {
        NpgsqlCommand command = new(commandText, connection, transaction);
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = argument });
        object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is T typed ? typed : throw new InvalidOperationException($"Unexpected answer from the server to: {commandText}");
    }

    private async Task MigrateCoreAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable transactionScope = transaction.ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, PostgreSqlStatements.TakeMigrationLock, cancellationToken).ConfigureAwait(false);

        bool schemaExists = await ScalarAsync<bool>(connection, transaction, PostgreSqlStatements.SchemaExists, sql.Schema, cancellationToken).ConfigureAwait(false);
        if (!schemaExists)
        {
            // Only when missing: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when the schema exists.
            await ExecuteAsync(connection, transaction, sql.CreateSchema, cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, sql.CreateSchemaVersionTable, cancellationToken).ConfigureAwait(false);
        int from = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (from > SchemaVersion)
        {
            throw NewerSchema(from);
        }

        for (int version = from; version < SchemaVersion; version++)
        {
            await ExecuteAsync(connection, transaction, sql.Migrations[version], cancellationToken).ConfigureAwait(false);
        }

        if (from < SchemaVersion)
        {
            NpgsqlCommand write = new(sql.WriteSchemaVersion, connection, transaction);
            await using ConfiguredAsyncDisposable writeScope = write.ConfigureAwait(false);
            write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sql.TableName });
            write.Parameters.Add(new NpgsqlParameter<int> { TypedValue = SchemaVersion });
            write.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = table.Now().UtcDateTime });
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (from < SchemaVersion)
        {
            EventStoreLog.Migrated(logger, server, TableName, from, SchemaVersion);
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        bool hasVersionTable = await ScalarAsync<bool>(connection, null, PostgreSqlStatements.SchemaVersionTableExists, sql.Schema, cancellationToken).ConfigureAwait(false);
        int version = hasVersionTable ? await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false) : 0;
        if (version > SchemaVersion)
        {
            throw NewerSchema(version);
        }

        if (version < SchemaVersion)
        {
            throw new InvalidOperationException(
                $"Table {TableName} on {server} is at schema version {version}, this package needs {SchemaVersion}, and AutoMigrate is off: call PostgreSqlWebhookEventStore.MigrateAsync() when deploying, or set {PostgreSqlWebhookEventStoreOptions.DefaultSectionName}:AutoMigrate to true.");
        }
    }

    private async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        NpgsqlCommand read = new(sql.ReadSchemaVersion, connection, transaction);
        await using ConfiguredAsyncDisposable readScope = read.ConfigureAwait(false);
        read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sql.TableName });
        object? value = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is int version ? version : 0;
    }

    private InvalidOperationException NewerSchema(int version) =>
        new($"Table {TableName} on {server} is at schema version {version}, newer than this Kobbopay.EventStore.PostgreSql supports ({SchemaVersion}): upgrade the package.");
}
