using System.Collections.Concurrent;
using Kobbopay.Sdk;
using Kobbopay.Sdk.Internal;
using Kobbopay.Sdk.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Kobbopay clients with dependency injection.</summary>
public static class KobbopayServiceCollectionExtensions
{
    /// <summary>The name of the client registered without one; it is also what <see cref="KobbopayClient"/> resolves to.</summary>
    public const string DefaultName = "Kobbopay";

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
        return services.AddKobbopayClientCore(name, section, builder => builder.Bind(configuration));
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
        services.AddSingleton<IValidateOptions<KobbopayClientOptions>>(new KobbopayClientOptionsValidator(name, section));
        services.TryAddSingleton<KobbopayPipelineRegistry>();
        services.TryAddSingleton<IKobbopayClientFactory, KobbopayClientFactory>();
        if (name == DefaultName)
        {
            services.TryAddTransient(sp => sp.GetRequiredService<IKobbopayClientFactory>().CreateClient(DefaultName));
        }

        return services.AddHttpClient(HttpClientName(name))
            .ConfigureHttpClient((sp, http) =>
            {
                KobbopayClientOptions o = sp.GetRequiredService<IOptionsMonitor<KobbopayClientOptions>>().Get(name);
                http.BaseAddress = KobbopayPipeline.NormalizeBaseAddress(o.BaseAddress!);
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns every timeout
            })
            .AddHttpMessageHandler(sp => new TelemetryHandler(LoggerFactory(sp).CreateLogger("Kobbopay.Sdk.Http"), Clock(sp)))
            .AddHttpMessageHandler(sp => new KobbopayResilienceHandler(sp.GetRequiredService<KobbopayPipelineRegistry>().Get(name, sp)))
            .AddHttpMessageHandler(sp =>
            {
                KobbopayClientOptions o = sp.GetRequiredService<IOptionsMonitor<KobbopayClientOptions>>().Get(name);
                return new ApiKeyHandler(o.ApiKeyHeaderName, o.ApiKey!);
            });
    }

    internal static string HttpClientName(string name) => "Kobbopay.Sdk:" + name;

    internal static ILoggerFactory LoggerFactory(IServiceProvider sp) => sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;

    internal static TimeProvider Clock(IServiceProvider sp) => sp.GetService<TimeProvider>() ?? TimeProvider.System;

    /// <summary>One resilience pipeline per client name, so the circuit breaker's state outlives the handlers the factory recycles.</summary>
    internal sealed class KobbopayPipelineRegistry
    {
        private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines = new(StringComparer.Ordinal);

        public ResiliencePipeline<HttpResponseMessage> Get(string name, IServiceProvider sp) =>
            _pipelines.GetOrAdd(name, static (n, sp) => KobbopayResiliencePipeline.Create(
                sp.GetRequiredService<IOptionsMonitor<KobbopayClientOptions>>().Get(n).Resilience,
                Clock(sp),
                LoggerFactory(sp).CreateLogger("Kobbopay.Sdk.Resilience")), sp);
    }

    private sealed class KobbopayClientFactory(IServiceProvider services, IHttpClientFactory httpClients, IOptionsMonitor<KobbopayClientOptions> options) : IKobbopayClientFactory
    {
        public KobbopayClient CreateClient(string name)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            if (services.GetService<IEnumerable<IValidateOptions<KobbopayClientOptions>>>()?.OfType<KobbopayClientOptionsValidator>().Any(v => v.Name == name) != true)
            {
                throw new InvalidOperationException($"No Kobbopay client is registered under the name '{name}'; call services.AddKobbopayClient(\"{name}\", …).");
            }

            KobbopayClientOptions o = options.Get(name);
            return new KobbopayClient(httpClients.CreateClient(HttpClientName(name)), o, LoggerFactory(services).CreateLogger<KobbopayClient>(), Clock(services));
        }
    }

    private sealed class KobbopayClientOptionsValidator(string name, string section) : IValidateOptions<KobbopayClientOptions>
    {
        public string Name { get; } = name;

        public ValidateOptionsResult Validate(string? optionsName, KobbopayClientOptions options)
        {
            if (!string.Equals(optionsName, Name, StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Skip;
            }

            List<string> failures = [.. options.Validate(section)];
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
