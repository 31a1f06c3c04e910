using System.Diagnostics.CodeAnalysis;
using Kobbopay.AspNetCore.Internal;
using Kobbopay.AspNetCore.Queue;
using Kobbopay.Sdk;
using Kobbopay.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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
    /// added; when one throws, the rest do not run and the whole event is delivered again later. Stale events (see
    /// <see cref="KobbopayWebhookContext.IsStale"/>) are kept from it; to see them, use
    /// <see cref="AddHandler{THandler}(PaymentEventType?, bool)"/> with <c>includeStale: true</c>.
    /// </summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="type">The event type handled, or <see langword="null"/> for all, including types this SDK does not know.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="type"/> is empty.</exception>
    public KobbopayWebhooksBuilder AddHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(PaymentEventType? type = null)
        where THandler : class, IKobbopayWebhookHandler =>
        AddHandler<THandler>(type, includeStale: false);

    /// <summary>
    /// Adds a handler as <see cref="AddHandler{THandler}(PaymentEventType?)"/> does, saying whether it sees stale events:
    /// events whose sequence is not above the highest already handled for their payment, which would move the payment
    /// backward (a <c>payment.paid</c> after <c>payment.confirmed</c>). With <paramref name="includeStale"/> the handler
    /// is handed them too, flagged with <see cref="KobbopayWebhookContext.IsStale"/>, for example to audit them; without
    /// it (the default of the other overload) it never sees them. Either way a stale event is answered 2xx and recorded.
    /// </summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="type">The event type handled, or <see langword="null"/> for all, including types this SDK does not know.</param>
    /// <param name="includeStale"><see langword="true"/> to hand the handler stale events too, flagged; <see langword="false"/> to keep them from it.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="type"/> is empty.</exception>
    public KobbopayWebhooksBuilder AddHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(PaymentEventType? type, bool includeStale)
        where THandler : class, IKobbopayWebhookHandler
    {
        if (type is { Value.Length: 0 })
        {
            throw new ArgumentException("The event type must not be empty; pass null to handle every type.", nameof(type));
        }

        Services.TryAddScoped<THandler>();
        Services.AddSingleton(new KobbopayWebhookHandlerRegistration(type, typeof(THandler), static sp => sp.GetRequiredService<THandler>(), includeStale));
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
    public KobbopayWebhooksBuilder UseEventStore(Func<IServiceProvider, IWebhookEventStore> factory) => Replace(factory);

    /// <summary>
    /// Switches the endpoint to queued processing: it verifies each delivery, records the raw event in an
    /// <see cref="IWebhookInbox"/> and answers 200 once that write is done; a background worker then runs the handlers,
    /// retrying a failing event with backoff and parking it for review after
    /// <see cref="KobbopayWebhookQueueOptions.MaxAttempts"/> runs. A validly signed body that is not an event is parked
    /// with its raw bytes instead of being answered 400. The inbox is the durable one registered by the SQLite or
    /// PostgreSQL store package, or else an <see cref="InMemoryWebhookInbox"/> (development only: it forgets on restart).
    /// </summary>
    /// <param name="configure">Sets the worker's options, or <see langword="null"/> for the defaults (bind them from <see cref="KobbopayWebhookQueueOptions.DefaultSectionName"/> with <c>Services.Configure</c>).</param>
    /// <returns>This builder.</returns>
    public KobbopayWebhooksBuilder UseQueuedProcessing(Action<KobbopayWebhookQueueOptions>? configure = null)
    {
        _registration.Queued = true;
        OptionsBuilder<KobbopayWebhookQueueOptions> options = Services.AddOptions<KobbopayWebhookQueueOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KobbopayWebhookQueueOptions>, KobbopayWebhookQueueOptionsCustomValidator>());
        Services.TryAddSingleton<IWebhookInbox>(static sp => new InMemoryWebhookInbox(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        Services.TryAddSingleton<KobbopayWebhookInboxSignal>();
        Services.TryAddSingleton<KobbopayWebhookInboxWorker>();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, KobbopayWebhookInboxWorker>(static sp => sp.GetRequiredService<KobbopayWebhookInboxWorker>()));
        return this;
    }

    /// <summary>Replaces the inbox of queued processing (by default the one a store package registered, else an <see cref="InMemoryWebhookInbox"/>) with the one <paramref name="factory"/> creates, once, as a singleton.</summary>
    /// <param name="factory">Creates the inbox.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public KobbopayWebhooksBuilder UseInbox(Func<IServiceProvider, IWebhookInbox> factory) => Replace(factory);

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

    /// <summary>Registers the singleton <paramref name="factory"/> creates as the one <typeparamref name="TService"/>, replacing any other.</summary>
    private KobbopayWebhooksBuilder Replace<TService>(Func<IServiceProvider, TService> factory)
        where TService : class
    {
        Guard.NotNull(factory);
        Services.RemoveAll<TService>();
        Services.AddSingleton(factory);
        return this;
    }
}
