using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Kobbopay.EventStore.Sqlite;

/// <summary>
/// Settings of a <see cref="SqliteWebhookEventStore"/>. Bound from configuration (section
/// <c>Kobbopay:Webhooks:Sqlite</c> by convention) and validated when the application starts; every failure names the setting.
/// </summary>
public sealed partial class SqliteWebhookEventStoreOptions
{
    /// <summary>The configuration section these options are read from by convention.</summary>
    public const string DefaultSectionName = "Kobbopay:Webhooks:Sqlite";

    /// <summary>The shortest <see cref="Retention"/> accepted: longer than the gateway's whole retry horizon (about 10.7 hours).</summary>
    public static readonly TimeSpan MinimumRetention = TimeSpan.FromHours(12);

    /// <summary>Gets or sets the SQLite connection string, for example <c>Data Source=/var/lib/shop/kobbopay-webhooks.db</c>. The file is created when missing and switched to WAL.</summary>
    /// <value>No default: required.</value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the name of the events table. The schema version is kept in <c>kobbopay_schema_version</c> next to it.</summary>
    /// <value>Defaults to <c>kobbopay_webhook_events</c>. Letters, digits and underscores, starting with a letter or underscore, at most 48 characters.</value>
    public string TableName { get; set; } = "kobbopay_webhook_events";

    /// <summary>Gets or sets how long records of completed events are kept; <see cref="SqliteWebhookEventStore.PurgeExpiredAsync"/> removes older ones. Keep it well beyond the gateway's retry horizon, or a late redelivery is processed again.</summary>
    /// <value>Defaults to 3 days; at least <see cref="MinimumRetention"/>.</value>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Gets or sets how often the store purges expired records by itself; <see cref="TimeSpan.Zero"/> turns that off (call <see cref="SqliteWebhookEventStore.PurgeExpiredAsync"/> yourself).</summary>
    /// <value>Defaults to 1 hour.</value>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long a statement waits for another connection (another process on the same file) to release its write lock before it fails.</summary>
    /// <value>Defaults to 5 seconds.</value>
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

    /// <summary>Checks the settings; yields one message per problem, each naming its setting under <paramref name="section"/>.</summary>
    internal IEnumerable<string> Validate(string section)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return $"{section}:ConnectionString is required: for example \"Data Source=/var/lib/shop/kobbopay-webhooks.db\".";
        }
        else
        {
            string? problem = null;
            try
            {
                SqliteConnectionStringBuilder builder = new(ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
                {
                    problem = $"{section}:ConnectionString must name a database file (Data Source=…); an in-memory database is not durable, use InMemoryWebhookEventStore for that.";
                }
                else if (builder.Mode == SqliteOpenMode.ReadOnly)
                {
                    problem = $"{section}:ConnectionString must not open the database read-only (Mode=ReadOnly).";
                }
            }
            catch (ArgumentException ex)
            {
                problem = $"{section}:ConnectionString is not a valid SQLite connection string: {ex.Message}";
            }

            if (problem is not null)
            {
                yield return problem;
            }
        }

        if (string.IsNullOrEmpty(TableName) || !IdentifierPattern().IsMatch(TableName))
        {
            yield return $"{section}:TableName must be letters, digits and underscores, start with a letter or underscore, and be at most 48 characters.";
        }

        if (Retention < MinimumRetention)
        {
            yield return $"{section}:Retention must be at least {MinimumRetention.TotalHours:0} hours, longer than the gateway's whole retry horizon (about 10.7 hours); it is {Retention}.";
        }

        if (PurgeInterval < TimeSpan.Zero)
        {
            yield return $"{section}:PurgeInterval must not be negative (TimeSpan.Zero turns automatic purging off).";
        }

        if (BusyTimeout <= TimeSpan.Zero || BusyTimeout > TimeSpan.FromMinutes(10))
        {
            yield return $"{section}:BusyTimeout must be more than zero and at most 10 minutes.";
        }
    }

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

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,47}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
