using Kobbopay.Contracts;
using Kobbopay.Sdk;
using Kobbopay.Sdk.Internal;
using Kobbopay.Sdk.Resilience;
using Kobbopay.Shared.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Kobbopay clients with dependency injection.</summary>
/// <remarks>
/// Each client is a named <see cref="HttpClient"/> whose handlers are, outermost first: the SDK's telemetry, the
/// resilience handler of Microsoft.Extensions.Http.Resilience configured from <see cref="KobbopayClientOptions.Resilience"/>,
/// and the API key. Resilience handlers an app adds to every client (<c>ConfigureHttpClientDefaults(b =>
/// b.AddStandardResilienceHandler())</c>, as .NET Aspire's service defaults do) are removed from Kobbopay clients, so
/// a call is never retried by two stacked pipelines and a POST without an idempotency key is never resent.
/// </remarks>
public static class KobbopayServiceCollectionExtensions
{
    /// <summary>The name of the client registered without one; it is also what <see cref="KobbopayClient"/> resolves to.</summary>
    public const string DefaultName = "Kobbopay";

    // One settings object for every client: the generated requests, the contract's source-generated JSON, no reflection.
    // Bodies are serialized into a buffer: sent with a Content-Length (never chunked), resent as they are on a retry.
    private static readonly RefitSettings RefitSettings = CreateRefitSettings();

    /// <summary>Registers the default Kobbopay client, bound to a configuration section (by convention <c>Kobbopay</c>) and validated at start.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding <see cref="KobbopayClientOptions"/>.</param>
    /// <returns>The HTTP client builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddKobbopayClient(this IServiceCollection services, IConfiguration configuration) =>
        services.AddKobbopayClient(DefaultName, configuration);

    /// <summary>Registers the default Kobbopay client, configured in code and validated at start.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The HTTP client builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddKobbopayClient(this IServiceCollection services, Action<KobbopayClientOptions> configure) =>
        services.AddKobbopayClient(DefaultName, configure);

    /// <summary>Registers a named Kobbopay client bound to a configuration section; get it from <see cref="IKobbopayClientFactory"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The client's name, for example <c>live</c>.</param>
    /// <param name="configuration">The section holding this client's <see cref="KobbopayClientOptions"/>.</param>
    /// <returns>The HTTP client builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddKobbopayClient(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string section = configuration is IConfigurationSection s ? s.Path : name;

        // Every enum-typed setting, checked before the binder reads it: its failure names the setting and the allowed values.
        return services.AddKobbopayClientCore(name, section, builder => builder
            .Configure(_ => EnumSettings.ThrowIfInvalid<KobbopayClientOptions>(
                name,
                EnumSettings.Check<KobbopayEnvironment>(configuration, nameof(KobbopayClientOptions.Environment), section)))
            .Bind(configuration));
    }

    /// <summary>Registers a named Kobbopay client configured in code; get it from <see cref="IKobbopayClientFactory"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The client's name, for example <c>live</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The HTTP client builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddKobbopayClient(this IServiceCollection services, string name, Action<KobbopayClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddKobbopayClientCore(name, name, builder => builder.Configure(configure));
    }

    private static IHttpClientBuilder AddKobbopayClientCore(this IServiceCollection services, string name, string section, Action<OptionsBuilder<KobbopayClientOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);

        OptionsBuilder<KobbopayClientOptions> options = services.AddOptions<KobbopayClientOptions>(name);
        configure(options);
        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<KobbopayClientOptions>>(new KobbopayClientOptionsCustomValidator(name, section));
        // The settings the client follows: the last valid value of its options, swapped when the configuration reloads.
        services.AddKeyedSingleton(name, (sp, _) => new ReloadingOptions<KobbopayClientOptions, KobbopayClientOptions>(sp, name, static o => o, LoggerFactory(sp).CreateLogger("Kobbopay.Sdk.Options")));
        services.TryAddSingleton<IKobbopayClientFactory, KobbopayClientFactory>();
        if (name == DefaultName)
        {
            services.TryAddTransient(sp => sp.GetRequiredService<IKobbopayClientFactory>().CreateClient(DefaultName));

            // The authoritative payment for Kobbopay.AspNetCore's signal-then-fetch (FetchPaymentBeforeHandling).
            services.TryAddTransient<IKobbopayPaymentReader>(sp => sp.GetRequiredService<KobbopayClient>());

            // The gateway check, for Kobbopay.AspNetCore's AddKobbopayHealthChecks (or an app's own AddCheck) to find by name.
            services.TryAddKeyedSingleton<IHealthCheck>(KobbopayHealthCheckNames.Gateway, (sp, _) => new KobbopayGatewayHealthCheck(sp.GetRequiredService<IKobbopayClientFactory>(), DefaultName, section));
        }

        IHttpClientBuilder http = services.AddHttpClient(HttpClientName(name))
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = Settings(sp, name).Current.BaseAddress;
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience handler owns every timeout
            })
            .AddHttpMessageHandler(sp => new TelemetryHandler(LoggerFactory(sp).CreateLogger("Kobbopay.Sdk.Http"), Clock(sp)))
            // The factory's default loggers (System.Net.Http.HttpClient.*) redact header values in the message but keep them
            // raw in the structured state at Trace, the API key among them; the TelemetryHandler above logs each call instead.
            .RemoveAllLoggers();

        // An app-wide resilience handler (ConfigureHttpClientDefaults) would wrap ours and retry what ours must not,
        // a POST without an idempotency key among them: dotnet/extensions#4814. The API is experimental (EXTEXP0001).
#pragma warning disable EXTEXP0001
        http.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        http.AddResilienceHandler(KobbopayResiliencePipeline.HandlerName, (builder, context) =>
        {
            IServiceProvider sp = context.ServiceProvider;
            // Polly's own log lines (an Information line per attempt, a stack trace per timeout) repeat the short ones the
            // pipeline logs under Kobbopay.Sdk.Resilience: keep Polly's metrics and enrichers, not its logger.
            TelemetryOptions appTelemetry = sp.GetService<IOptions<TelemetryOptions>>()?.Value ?? new TelemetryOptions();
            builder.ConfigureTelemetry(new TelemetryOptions(appTelemetry) { LoggerFactory = NullLoggerFactory.Instance });
            KobbopayResiliencePipeline.Configure(builder, Settings(sp, name).Current.Resilience, Clock(sp), LoggerFactory(sp).CreateLogger("Kobbopay.Sdk.Resilience"));
        });

        return http.AddHttpMessageHandler(sp => new ApiKeyHandler(Settings(sp, name)));
    }

    private static RefitSettings CreateRefitSettings()
    {
        RefitSettings settings = RefitSettings.ForJsonContext(KobbopayJsonContext.Default);
        settings.RequestBodySerialization = RequestBodySerializationMode.Buffered;
        return settings;
    }

    internal static string HttpClientName(string name) => "Kobbopay.Sdk:" + name;

    internal static ILoggerFactory LoggerFactory(IServiceProvider sp) => sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;

    internal static ReloadingOptions<KobbopayClientOptions, KobbopayClientOptions> Settings(IServiceProvider sp, string name) =>
        sp.GetRequiredKeyedService<ReloadingOptions<KobbopayClientOptions, KobbopayClientOptions>>(name);

    internal static TimeProvider Clock(IServiceProvider sp) => sp.GetService<TimeProvider>() ?? TimeProvider.System;

    /// <summary>Makes <see cref="KobbopayClient"/> instances over the named HTTP clients and the generated Refit interface.</summary>
    internal sealed class KobbopayClientFactory(IServiceProvider services, IHttpClientFactory httpClients) : IKobbopayClientFactory
    {
        public KobbopayClient CreateClient(string name) => CreateClient(name, owner: null);

        public KobbopayClient CreateClient(string name, IDisposable? owner)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            if (services.GetService<IEnumerable<IValidateOptions<KobbopayClientOptions>>>()?.OfType<KobbopayClientOptionsCustomValidator>().Any(v => v.Name == name) != true)
            {
                throw new InvalidOperationException($"No Kobbopay client is registered under the name '{name}'; call services.AddKobbopayClient(\"{name}\", …).");
            }

            KobbopayClientOptions o = Settings(services, name).Current;
            IKobbopayApi api = RestService.ForGenerated<IKobbopayApi>(httpClients.CreateClient(HttpClientName(name)), RefitSettings);
            return new KobbopayClient(api, o, LoggerFactory(services).CreateLogger<KobbopayClient>(), Clock(services), owner);
        }
    }
}
