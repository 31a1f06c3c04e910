using System.Collections.Concurrent;

namespace Kobbopay.AspNetCore.Tests.TestSupport;

/// <summary>What the test handlers saw, shared (singleton) across the scopes they are resolved in.</summary>
public sealed class HandlerCalls
{
    /// <summary>Gets how many times any handler ran, per event id (or dedupe key when the event has no id).</summary>
    public ConcurrentDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets every call, in order: the handler's name, the context and the scope it was resolved in.</summary>
    public ConcurrentQueue<(string Handler, KobbopayWebhookContext Context, ScopeMarker Scope)> Calls { get; } = new();

    /// <summary>Gets the request path of every call, read while the request was live.</summary>
    public ConcurrentQueue<string> RequestPaths { get; } = new();

    /// <summary>Gets the server's minimum request body data rate as each call saw it (<see langword="null"/>: disabled).</summary>
    public ConcurrentQueue<double?> MinBodyDataRates { get; } = new();

    /// <summary>Gets or sets what a handler does after recording the call: given the context and the count for its event so far (1 on the first run).</summary>
    public Func<KobbopayWebhookContext, int, CancellationToken, Task>? Behavior { get; set; }

    internal Task RecordAsync(string handler, KobbopayWebhookContext context, ScopeMarker scope, CancellationToken cancellationToken)
    {
        int count = Counts.AddOrUpdate(context.Event.Id ?? context.DedupeKey, 1, static (_, n) => n + 1);
        Calls.Enqueue((handler, context, scope));
        RequestPaths.Enqueue(context.HttpContext.Request.Path.Value ?? string.Empty);
        MinBodyDataRates.Enqueue(context.HttpContext.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.IHttpMinRequestBodyDataRateFeature>()?.MinDataRate?.BytesPerSecond);
        return Behavior?.Invoke(context, count, cancellationToken) ?? Task.CompletedTask;
    }
}

/// <summary>A scoped service: the same instance for the handlers of one delivery, a new one for the next.</summary>
public sealed class ScopeMarker
{
    public Guid Id { get; } = Guid.NewGuid();
}

/// <summary>Registered for every event type.</summary>
public sealed class CatchAllHandler(HandlerCalls calls, ScopeMarker scope) : IKobbopayWebhookHandler
{
    public Task HandleAsync(KobbopayWebhookContext context, CancellationToken cancellationToken) => calls.RecordAsync(nameof(CatchAllHandler), context, scope, cancellationToken);
}

/// <summary>Registered for <c>payment.paid</c> only.</summary>
public sealed class PaidHandler(HandlerCalls calls, ScopeMarker scope) : IKobbopayWebhookHandler
{
    public Task HandleAsync(KobbopayWebhookContext context, CancellationToken cancellationToken) => calls.RecordAsync(nameof(PaidHandler), context, scope, cancellationToken);
}
