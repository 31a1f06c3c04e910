using Kobbopay;
using Kobbopay.AspNetCore;
using Kobbopay.AspNetCore.Internal;
using Kobbopay.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Kobbopay's health checks to an application's health checks: <c>services.AddHealthChecks().AddKobbopayHealthChecks()</c>.</summary>
public static class KobbopayHealthChecksBuilderExtensions
{
    /// <summary>The configuration section <see cref="KobbopayHealthCheckOptions"/> are conventionally bound from, and the name validation messages use.</summary>
    public const string DefaultSection = "Kobbopay:HealthChecks";

    /// <summary>
    /// Adds Kobbopay's health checks, each tagged <c>kobbopay</c>:
    /// <list type="bullet">
    /// <item><description><c>kobbopay-event-store</c>: the webhook event store, the inbox when queued processing is on, and any other registered <c>IWebhookStoreProbe</c> answer; Unhealthy, naming the one that does not, when one does not.</description></item>
    /// <item><description><c>kobbopay-gateway</c>, when the default Kobbopay client is registered (<c>AddKobbopayClient</c>): the gateway answers an authenticated call with the configured API key; Unhealthy when it cannot be reached or refuses the key.</description></item>
    /// <item><description><c>kobbopay-webhooks</c>: Degraded when the signature failures or the handler failures of the deliveries within <see cref="KobbopayHealthCheckOptions.Window"/> reach their threshold.</description></item>
    /// </list>
    /// The options are validated when the application starts, each failure naming its setting. Calling this twice adds
    /// the checks once.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configure">Sets the thresholds; <see langword="null"/> for the defaults.</param>
    /// <param name="tags">Tags added to every Kobbopay check besides <c>kobbopay</c>, say <c>ready</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHealthChecksBuilder AddKobbopayHealthChecks(this IHealthChecksBuilder builder, Action<KobbopayHealthCheckOptions>? configure = null, IEnumerable<string>? tags = null) =>
        builder.AddKobbopayHealthChecksCore(DefaultSection, options =>
        {
            if (configure is not null)
            {
                options.Configure(configure);
            }
        }, tags);

    /// <summary>Adds Kobbopay's health checks (see the other overload) with <see cref="KobbopayHealthCheckOptions"/> bound to a configuration section, by convention <c>Kobbopay:HealthChecks</c>.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <param name="tags">Tags added to every Kobbopay check besides <c>kobbopay</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static IHealthChecksBuilder AddKobbopayHealthChecks(this IHealthChecksBuilder builder, IConfiguration configuration, IEnumerable<string>? tags = null)
    {
        Guard.NotNull(configuration);
        string section = configuration is IConfigurationSection s ? s.Path : DefaultSection;
        return builder.AddKobbopayHealthChecksCore(section, options => options.Bind(configuration), tags);
    }

    private static IHealthChecksBuilder AddKobbopayHealthChecksCore(this IHealthChecksBuilder builder, string section, Action<OptionsBuilder<KobbopayHealthCheckOptions>> configure, IEnumerable<string>? tags)
    {
        Guard.NotNull(builder);
        IServiceCollection services = builder.Services;
        OptionsBuilder<KobbopayHealthCheckOptions> options = services.AddOptions<KobbopayHealthCheckOptions>();
        configure(options);
        if (services.Any(static d => d.ServiceType == typeof(WebhookFailureWindow)))
        {
            return builder;
        }

        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<KobbopayHealthCheckOptions>>(new KobbopayHealthCheckOptionsSectionValidator(section));
        services.TryAddSingleton<WebhookFailureWindow>();

        string[] all = [KobbopayHealthCheckNames.Tag, .. tags ?? []];
        builder.Add(new HealthCheckRegistration(
            KobbopayHealthCheckNames.EventStore,
            static sp => new KobbopayEventStoreHealthCheck(sp),
            HealthStatus.Unhealthy,
            all));
        builder.Add(new HealthCheckRegistration(
            KobbopayHealthCheckNames.Webhooks,
            static sp => new KobbopayWebhooksHealthCheck(sp.GetRequiredService<WebhookFailureWindow>(), sp.GetRequiredService<IOptions<KobbopayHealthCheckOptions>>().Value),
            HealthStatus.Degraded,
            all));

        // The gateway check lives with the client (Kobbopay.Sdk registers it, keyed by its name, for the default client);
        // this package does not reference the client, so the check joins when the application's services show it.
        services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>>(sp => new ConfigureOptions<HealthCheckServiceOptions>(o =>
        {
            if (sp.GetService<IServiceProviderIsKeyedService>()?.IsKeyedService(typeof(IHealthCheck), KobbopayHealthCheckNames.Gateway) == true
                && !o.Registrations.Any(static r => r.Name == KobbopayHealthCheckNames.Gateway))
            {
                o.Registrations.Add(new HealthCheckRegistration(
                    KobbopayHealthCheckNames.Gateway,
                    static s => s.GetRequiredKeyedService<IHealthCheck>(KobbopayHealthCheckNames.Gateway),
                    HealthStatus.Unhealthy,
                    all));
            }
        }));
        return builder;
    }
}
