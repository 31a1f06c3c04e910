using System.Diagnostics.CodeAnalysis;
using Kobbopay.AspNetCore.Internal;
using Kobbopay.Sdk;
using Kobbopay.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kobbopay.AspNetCore;

/// <summary>Adds handlers to the Kobbopay webhook endpoint and replaces its event store or signature scheme. Returned by <c>AddKobbopayWebhooks</c>.</summary>
public sealed class KobbopayWebhooksBuilder
{
    private readonly KobbopayWebhooksRegistration _registration;

    internal KobbopayWebhooksBuilder(IServiceCollection services, KobbopayWebhooksRegistration registration)
    {
        Services = services;
        _registration = registration;
    }

    /// <summary>Gets the services the endpoint is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Adds a handler for events of <paramref name="type"/>, or for every event when <paramref name="type"/> is
    /// <see langword="null"/>. It is registered as a scoped service (unless already registered) and resolved in a
    /// scope of its own for each delivery. The handlers of an event run one after the other, in the order they were
    /// added; when one throws, the rest do not run and the whole event is delivered again later.
    /// </summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="type">The event type handled, or <see langword="null"/> for all, including types this SDK does not know.</param>
    /// <returns>This builder.</returns>
    public KobbopayWebhooksBuilder AddHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(PaymentEventType? type = null)
        where THandler : class, IKobbopayWebhookHandler
    {
        if (type is { Value.Length: 0 })
        {
            throw new ArgumentException("The event type must not be empty; pass null to handle every type.", nameof(type));
        }

        Services.TryAddScoped<THandler>();
        Services.AddSingleton(new KobbopayWebhookHandlerRegistration(type, typeof(THandler), static sp => sp.GetRequiredService<THandler>()));
        return this;
    }

    /// <summary>Replaces the event store (by default an <see cref="InMemoryWebhookEventStore"/>, right for one app instance that may forget on restart) with <typeparamref name="TStore"/>, registered as a singleton.</summary>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <returns>This builder.</returns>
    public KobbopayWebhooksBuilder UseEventStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>()
        where TStore : class, IWebhookEventStore
    {
        Services.RemoveAll<IWebhookEventStore>();
        Services.AddSingleton<IWebhookEventStore, TStore>();
        return this;
    }

    /// <summary>Replaces the event store (by default an <see cref="InMemoryWebhookEventStore"/>) with the one <paramref name="factory"/> creates, once, as a singleton.</summary>
    /// <param name="factory">Creates the store.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public KobbopayWebhooksBuilder UseEventStore(Func<IServiceProvider, IWebhookEventStore> factory)
    {
        Guard.NotNull(factory);
        Services.RemoveAll<IWebhookEventStore>();
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>
    /// Replaces the signature scheme built from the options (<see cref="KobbopayWebhookOptions.Scheme"/>,
    /// <see cref="KobbopayWebhookOptions.Secrets"/>, …) with the one <paramref name="factory"/> creates, once. The
    /// scheme settings are then neither used nor validated: the scheme is responsible for refusing unsigned deliveries.
    /// </summary>
    /// <param name="factory">Creates the scheme.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public KobbopayWebhooksBuilder UseSignatureScheme(Func<IServiceProvider, IWebhookSignatureScheme> factory)
    {
        _registration.SignatureScheme = Guard.NotNull(factory);
        return this;
    }
}
