using System.Diagnostics.CodeAnalysis;
using Kobbopay.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kobbopay.EventStore.Internal;

/// <summary>The shape both durable stores register in: options validated at start, the store as a singleton, and that singleton as the one <see cref="IWebhookEventStore"/>; the inbox beside it as the one <see cref="IWebhookInbox"/>.</summary>
internal static class EventStoreRegistration
{
    /// <summary>
    /// Registers a store and its options: the options configured by <paramref name="configure"/> and validated at start by
    /// the generated per-setting validator and the store's hand-written cross-field one; the store as a singleton made by
    /// <paramref name="create"/>; and the store as the <see cref="IWebhookEventStore"/>, replacing any other (such as the
    /// in-memory default).
    /// </summary>
    /// <typeparam name="TStore">The store.</typeparam>
    /// <typeparam name="TOptions">Its options.</typeparam>
    /// <typeparam name="TFieldValidator">The <c>[OptionsValidator]</c>-generated validator of the options' data annotations.</typeparam>
    /// <typeparam name="TCrossFieldValidator">The hand-written validator of the rules that data annotations cannot say.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="configure">Binds or sets the options.</param>
    /// <param name="crossFieldValidator">Creates the cross-field validator.</param>
    /// <param name="create">Creates the store from the services and the validated options.</param>
    /// <param name="createInbox">Creates the inbox of queued processing beside the store; registered as the one <see cref="IWebhookInbox"/>, replacing any other (such as the in-memory default), and created only when queued processing asks for it.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddEventStore<TStore, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFieldValidator, TCrossFieldValidator>(
        IServiceCollection services,
        Action<OptionsBuilder<TOptions>> configure,
        Func<IServiceProvider, TCrossFieldValidator> crossFieldValidator,
        Func<IServiceProvider, TOptions, TStore> create,
        Func<IServiceProvider, TOptions, IWebhookInbox> createInbox)
        where TStore : class, IWebhookEventStore
        where TOptions : class
        where TFieldValidator : class, IValidateOptions<TOptions>
        where TCrossFieldValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<TOptions> options = services.AddOptions<TOptions>();
        configure(options);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TFieldValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TCrossFieldValidator>(crossFieldValidator));
        services.TryAddSingleton(sp => create(sp, sp.GetRequiredService<IOptions<TOptions>>().Value));
        services.RemoveAll<IWebhookEventStore>();
        services.AddSingleton<IWebhookEventStore>(static sp => sp.GetRequiredService<TStore>());
        services.RemoveAll<IWebhookInbox>();
        services.AddSingleton(sp => createInbox(sp, sp.GetRequiredService<IOptions<TOptions>>().Value));
        return services;
    }
}
