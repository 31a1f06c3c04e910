using Kobbopay.EventStore.Sqlite;
using Kobbopay.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite webhook event store with dependency injection.</summary>
public static class KobbopaySqliteEventStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SqliteWebhookEventStore"/> as the <see cref="IWebhookEventStore"/> singleton (replacing any
    /// other, such as the in-memory default), bound to a configuration section (by convention
    /// <c>Kobbopay:Webhooks:Sqlite</c>) and validated at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding <see cref="SqliteWebhookEventStoreOptions"/>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddKobbopaySqliteEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string section = configuration is IConfigurationSection s ? s.Path : SqliteWebhookEventStoreOptions.DefaultSectionName;
        return services.AddCore(section, builder => builder.Bind(configuration));
    }

    /// <summary>
    /// Registers <see cref="SqliteWebhookEventStore"/> as the <see cref="IWebhookEventStore"/> singleton (replacing any
    /// other, such as the in-memory default), configured in code and validated at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddKobbopaySqliteEventStore(this IServiceCollection services, Action<SqliteWebhookEventStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddCore(SqliteWebhookEventStoreOptions.DefaultSectionName, builder => builder.Configure(configure));
    }

    private static IServiceCollection AddCore(this IServiceCollection services, string section, Action<OptionsBuilder<SqliteWebhookEventStoreOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<SqliteWebhookEventStoreOptions> options = services.AddOptions<SqliteWebhookEventStoreOptions>();
        configure(options);
        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<SqliteWebhookEventStoreOptions>>(new Validator(section));
        services.TryAddSingleton(static sp => new SqliteWebhookEventStore(
            sp.GetRequiredService<IOptions<SqliteWebhookEventStoreOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<SqliteWebhookEventStore>()));
        services.RemoveAll<IWebhookEventStore>();
        services.AddSingleton<IWebhookEventStore>(static sp => sp.GetRequiredService<SqliteWebhookEventStore>());
        return services;
    }

    private sealed class Validator(string section) : IValidateOptions<SqliteWebhookEventStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, SqliteWebhookEventStoreOptions options)
        {
            List<string> failures = [.. options.Validate(section)];
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
