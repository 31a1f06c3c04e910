using Microsoft.AspNetCore.Http;

namespace Kobbopay.Simulator.Internal;

/// <summary>What the pipeline learned about a request, for the endpoints and for the recorder.</summary>
internal sealed class RequestState
{
    private static readonly object Key = new();

    public EnvironmentState? Environment { get; set; }

    public byte[]? Body { get; set; }

    public FaultKind Fault { get; set; }

    public bool Dropped { get; set; }

    public long Sequence { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>Gets or sets a value indicating whether the request has been recorded (it is recorded once).</summary>
    public bool Recorded { get; set; }

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
}
