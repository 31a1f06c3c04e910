using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Kobbopay.EventStore.Sqlite.Internal;

/// <summary>
/// Validates what data annotations cannot say of <see cref="SqliteWebhookEventStoreOptions"/>: that the connection string
/// parses and opens a database file for writing. Every message names its setting under
/// <see cref="SqliteWebhookEventStoreOptions.DefaultSectionName"/>.
/// </summary>
internal sealed class SqliteWebhookEventStoreOptionsCrossFieldValidator : IValidateOptions<SqliteWebhookEventStoreOptions>
{
    private const string Key = SqliteWebhookEventStoreOptions.DefaultSectionName + ":ConnectionString";

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, SqliteWebhookEventStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Skip; // required: the generated validator says so
        }

        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"{Key} is not a valid SQLite connection string: {ex.Message}");
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            return ValidateOptionsResult.Fail($"{Key} must name a database file (Data Source=…); an in-memory database is not durable, use InMemoryWebhookEventStore for that.");
        }

        return builder.Mode == SqliteOpenMode.ReadOnly
            ? ValidateOptionsResult.Fail($"{Key} must not open the database read-only (Mode=ReadOnly).")
            : ValidateOptionsResult.Success;
    }
}
