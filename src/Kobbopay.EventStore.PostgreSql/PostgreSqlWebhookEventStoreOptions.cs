using Kobbopay.EventStore.Internal;
using Npgsql;

namespace Kobbopay.EventStore.PostgreSql;

/// <summary>
/// Settings of a <see cref="PostgreSqlWebhookEventStore"/>. Bound from configuration (section
/// <c>Kobbopay:Webhooks:PostgreSql</c> by convention) and validated when the application starts; every failure names the setting.
/// </summary>
public sealed class PostgreSqlWebhookEventStoreOptions
{
    /// <summary>The configuration section these options are read from by convention.</summary>
    public const string DefaultSectionName = "Kobbopay:Webhooks:PostgreSql";

    /// <summary>The shortest <see cref="Retention"/> accepted: longer than the gateway's whole retry horizon (about 10.7 hours).</summary>
    public static readonly TimeSpan MinimumRetention = RetentionAttribute.Minimum;

    /// <summary>
    /// Gets or sets the Npgsql connection string, for example
    /// <c>Host=db;Database=shop;Username=shop;Password=…</c>. It is never logged; logs name the host, port and database only.
    /// Not needed when the store is given an <see cref="NpgsqlDataSource"/>, or, registered with dependency injection,
    /// when the application registers one (<c>AddNpgsqlDataSource</c>): the store then uses that data source, sharing its
    /// pool and logging. When set, it wins: the store builds a data source of its own from it.
    /// </summary>
    /// <value>No default: required when no <see cref="NpgsqlDataSource"/> is given or registered.</value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the schema of the events table; it is created when missing (when the role may).</summary>
    /// <value>Defaults to <c>public</c>.</value>
    [Identifier(DefaultSectionName + ":Schema")]
    public string Schema { get; set; } = "public";

    /// <summary>Gets or sets the name of the events table. The schema version is kept in <c>kobbopay_schema_version</c> in the same schema.</summary>
    /// <value>Defaults to <c>kobbopay_webhook_events</c>. Letters, digits and underscores, starting with a letter or underscore, at most 48 characters.</value>
    [Identifier(DefaultSectionName + ":TableName")]
    public string TableName { get; set; } = "kobbopay_webhook_events";

    /// <summary>Gets or sets how long records of completed events are kept; <see cref="PostgreSqlWebhookEventStore.PurgeExpiredAsync"/> removes older ones. Keep it well beyond the gateway's retry horizon, or a late redelivery is processed again.</summary>
    /// <value>Defaults to 3 days; at least <see cref="MinimumRetention"/>.</value>
    [Retention(DefaultSectionName + ":Retention")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Gets or sets how often each store instance purges expired records by itself; <see cref="TimeSpan.Zero"/> turns that off (call <see cref="PostgreSqlWebhookEventStore.PurgeExpiredAsync"/> yourself, from one place).</summary>
    /// <value>Defaults to 1 hour.</value>
    [TimeSpanRange("00:00:00", ErrorMessage = DefaultSectionName + ":PurgeInterval must not be negative (TimeSpan.Zero turns automatic purging off).")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets whether the schema is created or upgraded on first use. Off, call <see cref="PostgreSqlWebhookEventStore.MigrateAsync"/> when deploying (for example with a role that may create tables); the store then refuses a missing or older schema.</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>Returns a description of the settings without the password.</summary>
    /// <returns>The server, database, table and retention.</returns>
    public override string ToString() =>
        $"PostgreSqlWebhookEventStoreOptions {{ Server = {DescribeServer(ConnectionString)}, Table = {Schema}.{TableName}, Retention = {Retention} }}";

    /// <summary>Describes the server of a connection string for logs: host, port and database, never the password.</summary>
    internal static string DescribeServer(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "(not set)";
        }

        try
        {
            NpgsqlConnectionStringBuilder builder = new(connectionString);
            return $"{builder.Host}:{builder.Port}/{builder.Database}";
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            return "(invalid connection string)";
        }
    }
}
