using Microsoft.Extensions.Options;
using Npgsql;

namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>
/// Validates what data annotations cannot say of <see cref="PostgreSqlWebhookEventStoreOptions"/>: that there is a
/// connection string unless the store has an <see cref="NpgsqlDataSource"/> to use, and that one given parses and names a
/// host. Every message names its setting under <see cref="PostgreSqlWebhookEventStoreOptions.DefaultSectionName"/>, never a value.
/// </summary>
/// <param name="dataSourceGiven">Whether the store is given a data source (by its caller, or from dependency injection).</param>
internal sealed class PostgreSqlWebhookEventStoreOptionsCrossFieldValidator(bool dataSourceGiven) : IValidateOptions<PostgreSqlWebhookEventStoreOptions>
{
    private const string Key = PostgreSqlWebhookEventStoreOptions.DefaultSectionName + ":ConnectionString";

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, PostgreSqlWebhookEventStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return dataSourceGiven
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"{Key} is required: for example \"Host=db;Database=shop;Username=shop;Password=…\"; or register an NpgsqlDataSource (AddNpgsqlDataSource) for the store to use.");
        }

        try
        {
            NpgsqlConnectionStringBuilder builder = new(options.ConnectionString);
            return string.IsNullOrWhiteSpace(builder.Host)
                ? ValidateOptionsResult.Fail($"{Key} must name a Host.")
                : ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            // The provider's message quotes the keyword at fault, never a value; it is left out all the same.
            return ValidateOptionsResult.Fail($"{Key} is not a valid Npgsql connection string ({ex.GetType().Name}).");
        }
    }
}
