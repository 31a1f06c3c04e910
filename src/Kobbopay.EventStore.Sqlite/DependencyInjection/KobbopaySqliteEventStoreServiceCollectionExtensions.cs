using Kobbopay.EventStore.Internal;
using Kobbopay.EventStore.Sqlite;
using Kobbopay.EventStore.Sqlite.Internal;
using Kobbopay.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite webhook event store with dependency injection.</summary>
public static class KobbopaySqliteEventStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SqliteWebhookEventStore"/> as the <see cref="IWebhookEventStore"/> singleton (replacing any
    /// other, such as the in-memory default), bound to a configuration section (by convention
    /// <c>Kobbopay:Webhooks:Sqlite</c>) and validated at start; failures name each setting under that conventional section.
    /// Also registers <see cref="SqliteWebhookInbox"/> (same file) as the <see cref="IWebhookInbox"/> that queued processing uses.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding <see cref="SqliteWebhookEventStoreOptions"/>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddKobbopaySqliteEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddCore(builder => builder.Bind(configuration));
    }

    /// <summary>
    /// Registers <see cref="SqliteWebhookEventStore"/> as the <see cref="IWebhookEventStore"/> singleton (replacing any
    /// other, such as the in-memory default), configured in code and validated at start. Also registers
    /// <see cref="SqliteWebhookInbox"/> (same file) as the <see cref="IWebhookInbox"/> that queued processing uses.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddKobbopaySqliteEventStore(this IServiceCollection services, Action<SqliteWebhookEventStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddCore(builder => builder.Configure(configure));
    }

    private static IServiceCollection AddCore(this IServiceCollection services, Action<OptionsBuilder<SqliteWebhookEventStoreOptions>> configure) =>
        EventStoreRegistration.AddEventStore<SqliteWebhookEventStore, SqliteWebhookEventStoreOptions, SqliteWebhookEventStoreOptionsValidator, SqliteWebhookEventStoreOptionsCrossFieldValidator>(
            services,
            configure,
            static _ => new SqliteWebhookEventStoreOptionsCrossFieldValidator(),
            static (sp, options) => new SqliteWebhookEventStore(options, sp.GetService<TimeProvider>(), sp.GetService<ILoggerFactory>()?.CreateLogger<SqliteWebhookEventStore>()),
            static (sp, options) => new SqliteWebhookInbox(options, sp.GetService<TimeProvider>()));
}
