using Kobbopay;
using Kobbopay.AspNetCore;
using Kobbopay.AspNetCore.Internal;
using Kobbopay.Shared.Options;
using Kobbopay.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Kobbopay webhook endpoint's services; map the endpoint itself with <c>MapKobbopayWebhooks</c>.</summary>
public static class KobbopayWebhooksServiceCollectionExtensions
{
    /// <summary>The configuration section the options are conventionally bound from, and the name validation messages use when they are set in code.</summary>
    public const string DefaultSection = "Kobbopay:Webhooks";

    /// <summary>
    /// Registers the webhook endpoint's services with <see cref="KobbopayWebhookOptions"/> bound to a configuration
    /// section (by convention <c>Kobbopay:Webhooks</c>) and validated at start: a missing secret stops the application
    /// from starting.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <returns>A builder to add handlers and replace the event store or signature scheme.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static KobbopayWebhooksBuilder AddKobbopayWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        Guard.NotNull(configuration);
        string section = configuration is IConfigurationSection s ? s.Path : DefaultSection;
        return services.AddKobbopayWebhooksCore(section, options => options.Bind(configuration));
    }

    /// <summary>Registers the webhook endpoint's services with <see cref="KobbopayWebhookOptions"/> set in code and validated at start.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to add handlers and replace the event store or signature scheme.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static KobbopayWebhooksBuilder AddKobbopayWebhooks(this IServiceCollection services, Action<KobbopayWebhookOptions> configure)
    {
        Guard.NotNull(configure);
        return services.AddKobbopayWebhooksCore(DefaultSection, options => options.Configure(configure));
    }

    private static KobbopayWebhooksBuilder AddKobbopayWebhooksCore(this IServiceCollection services, string section, Action<OptionsBuilder<KobbopayWebhookOptions>> configure)
    {
        Guard.NotNull(services);

        // Called twice (say, once per configuration source), the registration is shared and the options accumulate.
        KobbopayWebhooksRegistration? registration = null;
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(KobbopayWebhooksRegistration) && !descriptor.IsKeyedService && descriptor.ImplementationInstance is KobbopayWebhooksRegistration existing)
            {
                registration = existing;
                existing.Section = section;
                break;
            }
        }

        if (registration is null)
        {
            registration = new KobbopayWebhooksRegistration(section);
            services.AddSingleton(registration);
            services.AddSingleton<IValidateOptions<KobbopayWebhookOptions>>(new KobbopayWebhookOptionsCustomValidator(registration));
        }

        OptionsBuilder<KobbopayWebhookOptions> options = services.AddOptions<KobbopayWebhookOptions>();
        configure(options);
        options.ValidateOnStart();

        services.AddLogging();
        services.TryAddSingleton<IWebhookEventStore>(static sp => new InMemoryWebhookEventStore(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton(sp => new ReloadingOptions<KobbopayWebhookOptions, KobbopayWebhookSettings>(
            sp,
            Options.Options.DefaultName,
            o => KobbopayWebhookSettings.Create(o, registration, sp.GetService<TimeProvider>() ?? TimeProvider.System),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(KobbopayWebhookEndpoint.LogCategory)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, KobbopayWebhookSettingsStartup>());
        services.TryAddSingleton<KobbopayWebhookEndpoint>();
        return new KobbopayWebhooksBuilder(services, registration);
    }
}
