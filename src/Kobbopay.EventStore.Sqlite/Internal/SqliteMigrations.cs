using System.Globalization;
using Kobbopay.EventStore.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kobbopay.EventStore.Sqlite.Internal;

/// <summary>
/// The events table's schema: creates or upgrades it to <see cref="SqliteWebhookEventStore.SchemaVersion"/> in one
/// <c>BEGIN IMMEDIATE</c> transaction (safe from several processes at once), or, with AutoMigrate off, checks that it is
/// current. The version of each table is kept in <see cref="SqliteStatements.SchemaVersionTable"/>.
/// </summary>
internal sealed class SqliteMigrations(SqliteStatements sql, TimeProvider timeProvider, string database, ILogger logger)
{
    private const int SchemaVersion = SqliteWebhookEventStore.SchemaVersion;

    public static int Execute(SqliteConnection connection, string commandText, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = commandText;
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }

    public void Migrate(SqliteConnection connection)
    {
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, SqliteStatements.CreateSchemaVersionTable, transaction);
        int from = ReadVersion(connection, transaction);
        if (from > SchemaVersion)
        {
            throw NewerSchema(from);
        }

        for (int version = from; version < SchemaVersion; version++)
        {
            Execute(connection, sql.Migrations[version], transaction);
        }

        if (from < SchemaVersion)
        {
            using SqliteCommand write = connection.CreateCommand();
            write.Transaction = transaction;
            write.CommandText = SqliteStatements.WriteSchemaVersion;
            write.Parameters.AddWithValue("$table", sql.TableName);
            write.Parameters.AddWithValue("$version", SchemaVersion);
            write.Parameters.AddWithValue("$now", SqliteEventTable.ToMicroseconds(timeProvider.GetUtcNow()));
            write.ExecuteNonQuery();
        }

        transaction.Commit();
        if (from < SchemaVersion)
        {
            EventStoreLog.Migrated(logger, database, sql.TableName, from, SchemaVersion);
        }
    }

    public void Check(SqliteConnection connection)
    {
        Execute(connection, SqliteStatements.CreateSchemaVersionTable);
        int version = ReadVersion(connection, null);
        if (version > SchemaVersion)
        {
            throw NewerSchema(version);
        }

        if (version < SchemaVersion)
        {
            throw new InvalidOperationException(
                $"Table {sql.TableName} in {database} is at schema version {version}, this package needs {SchemaVersion}, and AutoMigrate is off: call SqliteWebhookEventStore.MigrateAsync() when deploying, or set {SqliteWebhookEventStoreOptions.DefaultSectionName}:AutoMigrate to true.");
        }
    }

    private int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using SqliteCommand read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = SqliteStatements.ReadSchemaVersion;
        read.Parameters.AddWithValue("$table", sql.TableName);
        object? value = read.ExecuteScalar();
        return value is null or DBNull ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private InvalidOperationException NewerSchema(int version) =>
        new($"Table {sql.TableName} in {database} is at schema version {version}, newer than this Kobbopay.EventStore.Sqlite supports ({SchemaVersion}): upgrade the package.");
}
