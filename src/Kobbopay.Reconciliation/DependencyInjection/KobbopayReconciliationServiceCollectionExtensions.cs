using System.Diagnostics.CodeAnalysis;
using Kobbopay;
using Kobbopay.Reconciliation;
using Kobbopay.Reconciliation.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers scheduled reconciliation: a hosted service that runs <see cref="KobbopayReconciler"/> on an interval.</summary>
/// <remarks>
/// A run needs <see cref="Kobbopay.Sdk.KobbopayClient"/> (<c>AddKobbopayClient</c>) and an <see cref="IOrderLedger"/>
/// (resolved in a scope of its own each run); the host fails to start, naming what is missing, without them. Exceptions
/// go to the <see cref="IReconciliationSink"/> registered in the container (resolved in the run's scope, so a scoped one
/// is new each run), or to the log. The checkpoint is kept in memory unless
/// <see cref="KobbopayReconciliationBuilder.UsePostgreSqlCheckpoints(string)"/> (or another store) is chosen.
/// </remarks>
public static class KobbopayReconciliationServiceCollectionExtensions
{
    /// <summary>Registers scheduled reconciliation, with the merchant's books as <typeparamref name="TLedger"/> (scoped).</summary>
    /// <typeparam name="TLedger">The merchant's <see cref="IOrderLedger"/>.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (interval, lookback, status mapping); checked when the host starts.</param>
    /// <returns>A builder that chooses the checkpoint store.</returns>
    public static KobbopayReconciliationBuilder AddKobbopayReconciliation<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TLedger>(this IServiceCollection services, Action<KobbopayReconciliationOptions>? configure = null)
        where TLedger : class, IOrderLedger
    {
        Guard.NotNull(services).TryAddScoped<IOrderLedger, TLedger>();
        return services.AddKobbopayReconciliation(configure);
    }

    /// <summary>Registers scheduled reconciliation, with the <see cref="IOrderLedger"/> the app registers itself.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (interval, lookback, status mapping); checked when the host starts.</param>
    /// <returns>A builder that chooses the checkpoint store.</returns>
    public static KobbopayReconciliationBuilder AddKobbopayReconciliation(this IServiceCollection services, Action<KobbopayReconciliationOptions>? configure = null)
    {
        Guard.NotNull(services);
        OptionsBuilder<KobbopayReconciliationOptions> options = services.AddOptions<KobbopayReconciliationOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KobbopayReconciliationOptions>, KobbopayReconciliationOptionsCheck>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IReconciliationCheckpointStore, InMemoryReconciliationCheckpointStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ReconciliationService>());
        return new KobbopayReconciliationBuilder(services);
    }
}
