using System.ComponentModel.DataAnnotations;
using Kobbopay.EventStore.Internal;
using Microsoft.Data.Sqlite;

namespace Kobbopay.EventStore.Sqlite;

/// <summary>
/// Settings of a <see cref="SqliteWebhookEventStore"/>. Bound from configuration (section
/// <c>Kobbopay:Webhooks:Sqlite</c> by convention) and validated when the application starts; every failure names the setting.
/// </summary>
public sealed class SqliteWebhookEventStoreOptions
{
    /// <summary>The configuration section these options are read from by convention.</summary>
    public const string DefaultSectionName = "Kobbopay:Webhooks:Sqlite";

    /// <summary>The shortest <see cref="Retention"/> accepted: longer than the gateway's whole retry horizon (about 10.7 hours).</summary>
    public static readonly TimeSpan MinimumRetention = RetentionAttribute.Minimum;

    /// <summary>Gets or sets the SQLite connection string, for example <c>Data Source=/var/lib/shop/kobbopay-webhooks.db</c>. The file is created when missing and switched to WAL.</summary>
    /// <value>No default: required.</value>
    [Required(ErrorMessage = DefaultSectionName + ":ConnectionString is required: for example \"Data Source=/var/lib/shop/kobbopay-webhooks.db\".")]
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the name of the events table. The schema version is kept in <c>kobbopay_schema_version</c> next to it.</summary>
    /// <value>Defaults to <c>kobbopay_webhook_events</c>. Letters, digits and underscores, starting with a letter or underscore, at most 48 characters.</value>
    [Identifier(DefaultSectionName + ":TableName")]
    public string TableName { get; set; } = "kobbopay_webhook_events";

    /// <summary>Gets or sets how long records of completed events are kept; <see cref="SqliteWebhookEventStore.PurgeExpiredAsync"/> removes older ones. Keep it well beyond the gateway's retry horizon, or a late redelivery is processed again.</summary>
    /// <value>Defaults to 3 days; at least <see cref="MinimumRetention"/>.</value>
    [Retention(DefaultSectionName + ":Retention")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Gets or sets how often the store purges expired records by itself; <see cref="TimeSpan.Zero"/> turns that off (call <see cref="SqliteWebhookEventStore.PurgeExpiredAsync"/> yourself).</summary>
    /// <value>Defaults to 1 hour.</value>
    [TimeSpanRange("00:00:00", ErrorMessage = DefaultSectionName + ":PurgeInterval must not be negative (TimeSpan.Zero turns automatic purging off).")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long a statement waits for another connection (another process on the same file) to release its write lock before it fails.</summary>
    /// <value>Defaults to 5 seconds.</value>
    [TimeSpanRange("00:00:00.0000001", "00:10:00", ErrorMessage = DefaultSectionName + ":BusyTimeout must be more than zero and at most 10 minutes.")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets whether every commit is flushed to disk (<c>PRAGMA synchronous = FULL</c>). Off, WAL's <c>NORMAL</c> mode
    /// keeps every commit across a crash of the process, but an operating-system crash or a power loss may lose the last
    /// commits (so an event may be processed again).
    /// </summary>
    /// <value>Defaults to <see langword="false"/> (<c>NORMAL</c>).</value>
    public bool FullSync { get; set; }

    /// <summary>Gets or sets whether the schema is created or upgraded on first use. Off, call <see cref="SqliteWebhookEventStore.MigrateAsync"/> when deploying; the store then refuses a missing or older schema.</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>Returns a description of the settings with the database file only; never a password.</summary>
    /// <returns>The file, table and retention.</returns>
    public override string ToString() =>
        $"SqliteWebhookEventStoreOptions {{ DataSource = {DescribeDataSource(ConnectionString)}, TableName = {TableName}, Retention = {Retention} }}";

    /// <summary>Describes the database file of a connection string for logs: its path, never a password.</summary>
    internal static string DescribeDataSource(string? connectionString)
    {
        try
        {
            return new SqliteConnectionStringBuilder(connectionString ?? string.Empty).DataSource is { Length: > 0 } file ? file : "(not set)";
        }
        catch (ArgumentException)
        {
            return "(invalid connection string)";
        }
    }

}
