using Kobbopay.Sdk;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>One handler added with <c>AddHandler</c>: the event type it is for (<see langword="null"/>: every type), whether it sees stale events, and how to resolve it in a scope.</summary>
internal sealed class KobbopayWebhookHandlerRegistration(PaymentEventType? eventType, Type handlerType, Func<IServiceProvider, IKobbopayWebhookHandler> resolve, bool includeStale = false)
{
    public PaymentEventType? EventType { get; } = eventType;

    public Type HandlerType { get; } = handlerType;

    public Func<IServiceProvider, IKobbopayWebhookHandler> Resolve { get; } = resolve;

    public bool IncludeStale { get; } = includeStale;

    public bool Handles(PaymentEventType type) => EventType is not { } only || only == type;

    /// <summary>Tells whether the handler runs for an event: of its type, and not stale unless it asked for stale events.</summary>
    public bool Handles(KobbopayWebhookContext context) => Handles(context.Event.Type) && (IncludeStale || !context.IsStale);
}
