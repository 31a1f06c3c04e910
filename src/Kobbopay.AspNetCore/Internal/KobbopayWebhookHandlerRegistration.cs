using Kobbopay.Sdk;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>One handler added with <c>AddHandler</c>: the event type it is for (<see langword="null"/>: every type) and how to resolve it in a scope.</summary>
internal sealed class KobbopayWebhookHandlerRegistration(PaymentEventType? eventType, Type handlerType, Func<IServiceProvider, IKobbopayWebhookHandler> resolve)
{
    public PaymentEventType? EventType { get; } = eventType;

    public Type HandlerType { get; } = handlerType;

    public Func<IServiceProvider, IKobbopayWebhookHandler> Resolve { get; } = resolve;

    public bool Handles(PaymentEventType type) => EventType is not { } only || only == type;
}
