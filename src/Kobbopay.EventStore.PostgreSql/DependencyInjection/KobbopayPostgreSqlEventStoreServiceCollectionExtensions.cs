using Kobbopay.EventStore.PostgreSql;
using Kobbopay.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL webhook event store with dependency injection.</summary>
public static class KobbopayPostgreSqlEventStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgreSqlWebhookEventStore"/> as the <see cref="IWebhookEventStore"/> singleton (replacing any
    /// other, such as the in-memory default), bound to a configuration section (by convention
    /// <c>Kobbopay:Webhooks:PostgreSql</c>) and validated at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding <see cref="PostgreSqlWebhookEventStoreOptions"/>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddKobbopayPostgreSqlEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string section = configuration is IConfigurationSection s ? s.Path : PostgreSqlWebhookEventStoreOptions.DefaultSectionName;
        return services.AddCore(section, builder => builder.Bind(configuration));
    }

    /// <summary>
    /// Registers <see cref="PostgreSqlWebhookEventStore"/> as the <see cref="IWebhookEventStore"/> singleton (replacing any
    /// other, such as the in-memory default), configured in code and validated at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddKobbopayPostgreSqlEventStore(this IServiceCollection services, Action<PostgreSqlWebhookEventStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddCore(PostgreSqlWebhookEventStoreOptions.DefaultSectionName, builder => builder.Configure(configure));
    }

    private static IServiceCollection AddCore(this IServiceCollection services, string section, Action<OptionsBuilder<PostgreSqlWebhookEventStoreOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<PostgreSqlWebhookEventStoreOptions> options = services.AddOptions<PostgreSqlWebhookEventStoreOptions>();
        configure(options);
        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<PostgreSqlWebhookEventStoreOptions>>(new Validator(section));
        services.TryAddSingleton(static sp => new PostgreSqlWebhookEventStore(
            sp.GetRequiredService<IOptions<PostgreSqlWebhookEventStoreOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<PostgreSqlWebhookEventStore>()));
        services.RemoveAll<IWebhookEventStore>();
        services.AddSingleton<IWebhookEventStore>(static sp => sp.GetRequiredService<PostgreSqlWebhookEventStore>());
        return services;
    }

    private sealed class Validator(string section) : IValidateOptions<PostgreSqlWebhookEventStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, PostgreSqlWebhookEventStoreOptions options)
        {
            List<string> failures = [.. options.Validate(section, requireConnectionString: true)];
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
