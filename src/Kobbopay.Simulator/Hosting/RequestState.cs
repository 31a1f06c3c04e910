using Microsoft.AspNetCore.Http;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// What the simulator's edge learned about a request (its order, time, id, body, environment, fault), handed to the
/// engine's endpoints. The edge runs on the real connection in front of WireMock; the lifecycle mappings' callbacks
/// find it again through <see cref="Current"/>, which flows with the request.
/// </summary>
internal sealed class RequestState
{
    private static readonly object Key = new();
    private static readonly AsyncLocal<RequestState?> CurrentRequest = new();

    /// <summary>Gets or sets the request being answered on this flow, or <see langword="null"/> outside the edge.</summary>
    public static RequestState? Current
    {
        get => CurrentRequest.Value;
        set => CurrentRequest.Value = value;
    }

    /// <summary>Gets or sets the real connection's context (the edge's); the engine's endpoints see a copy.</summary>
    public HttpContext? Connection { get; set; }

    public string RequestId { get; set; } = string.Empty;

    public EnvironmentState? Environment { get; set; }

    /// <summary>Gets or sets why the API key was refused, for the <c>/v1</c> routes to answer.</summary>
    public ApiError? AuthenticationError { get; set; }

    /// <summary>Gets or sets the API key as sent (the journal keeps only its prefix).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the Authorization header as sent (the journal keeps only its scheme).</summary>
    public string? Authorization { get; set; }

    /// <summary>Gets or sets the request body as received (at most the body cap).</summary>
    public byte[]? Body { get; set; }

    public FaultKind Fault { get; set; }

    public bool Dropped { get; set; }

    public long Sequence { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public static RequestState Of(HttpContext context)
    {
        if (context.Items.TryGetValue(Key, out object? value) && value is RequestState state)
        {
            return state;
        }

        RequestState created = new();
        context.Items[Key] = created;
        return created;
    }

    /// <summary>Attaches this state to a context, so <see cref="Of"/> finds it.</summary>
    public void AttachTo(HttpContext context) => context.Items[Key] = this;
}
