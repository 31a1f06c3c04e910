using Kobbopay.EventStore.Internal;
using Kobbopay.EventStore.PostgreSql;
using Kobbopay.EventStore.PostgreSql.Internal;
using Kobbopay.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL webhook event store with dependency injection.</summary>
/// <remarks>
/// Each overload also registers <see cref="PostgreSqlWebhookInbox"/>, on the store's data source, as the
/// <see cref="IWebhookInbox"/> that queued processing uses. Without a <see cref="PostgreSqlWebhookEventStoreOptions.ConnectionString"/>, the store uses the
/// <see cref="NpgsqlDataSource"/> registered in the container (the Npgsql convention: <c>AddNpgsqlDataSource(…)</c> from
/// Npgsql.DependencyInjection), sharing the application's pool and logging; the container owns and disposes it. With a
/// connection string, the store builds and disposes a data source of its own. With neither, the host fails to start,
/// naming the setting.
/// </remarks>
public static class KobbopayPostgreSqlEventStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgreSqlWebhookEventStore"/> as the <see cref="IWebhookEventStore"/> singleton (replacing any
    /// other, such as the in-memory default), on the <see cref="NpgsqlDataSource"/> registered in the container, with the
    /// default settings, validated at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddKobbopayPostgreSqlEventStore(this IServiceCollection services) =>
        services.AddCore(static _ => { });

    /// <summary>
    /// Registers <see cref="PostgreSqlWebhookEventStore"/> as the <see cref="IWebhookEventStore"/> singleton (replacing any
    /// other, such as the in-memory default), bound to a configuration section (by convention
    /// <c>Kobbopay:Webhooks:PostgreSql</c>) and validated at start; failures name each setting under that conventional section.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding <see cref="PostgreSqlWebhookEventStoreOptions"/>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddKobbopayPostgreSqlEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddCore(builder => builder.Bind(configuration));
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
        return services.AddCore(builder => builder.Configure(configure));
    }

    private static IServiceCollection AddCore(this IServiceCollection services, Action<OptionsBuilder<PostgreSqlWebhookEventStoreOptions>> configure) =>
        EventStoreRegistration.AddEventStore<PostgreSqlWebhookEventStore, PostgreSqlWebhookEventStoreOptions, PostgreSqlWebhookEventStoreOptionsValidator, PostgreSqlWebhookEventStoreOptionsCrossFieldValidator>(
            services,
            configure,
            static sp => new PostgreSqlWebhookEventStoreOptionsCrossFieldValidator(dataSourceGiven: HasDataSource(sp)),
            static (sp, options) =>
            {
                TimeProvider? timeProvider = sp.GetService<TimeProvider>();
                ILogger<PostgreSqlWebhookEventStore>? logger = sp.GetService<ILoggerFactory>()?.CreateLogger<PostgreSqlWebhookEventStore>();
                return string.IsNullOrWhiteSpace(options.ConnectionString) && sp.GetService<NpgsqlDataSource>() is { } dataSource
                    ? new PostgreSqlWebhookEventStore(dataSource, options, timeProvider, logger)
                    : new PostgreSqlWebhookEventStore(options, timeProvider, logger);
            },
            static (sp, options) => new PostgreSqlWebhookInbox(sp.GetRequiredService<PostgreSqlWebhookEventStore>().DataSource, options, sp.GetService<TimeProvider>()));

    private static bool HasDataSource(IServiceProvider services) =>
        services.GetService<IServiceProviderIsService>()?.IsService(typeof(NpgsqlDataSource)) == true;
}
