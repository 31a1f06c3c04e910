using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.Sdk.Tests.Resilience;

/// <summary>One call the stub server saw: the request object, when (fake clock) and what it carried.</summary>
internal sealed record Attempt(HttpRequestMessage Request, TimeSpan At, string? IdempotencyKey, byte[]? Body);

/// <summary>
/// A stub inner handler that answers a scripted sequence, one step per attempt; the last step repeats when
/// <see cref="RepeatLast"/> is set, otherwise an extra attempt fails the test. Every step completes (or faults, or
/// cancels) synchronously, so the pipeline's continuations run inline while the fake clock advances.
/// </summary>
internal sealed class ScriptedHandler(FakeTimeProvider time) : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();
    private readonly List<Attempt> _attempts = [];
    private Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? _last;

    public bool RepeatLast { get; set; }

    public IReadOnlyList<Attempt> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    public List<HttpResponseMessage> Responses { get; } = [];

    public ScriptedHandler Respond(HttpStatusCode status, Action<HttpResponseMessage>? configure = null, string? body = null) =>
        Then((request, _) =>
        {
            HttpResponseMessage response = new(status)
            {
                RequestMessage = request,
                Content = new TrackingContent(body ?? string.Empty),
            };
            configure?.Invoke(response);
            lock (Responses)
            {
                Responses.Add(response);
            }

            return Task.FromResult(response);
        });

    public ScriptedHandler RespondError(HttpStatusCode status, string code, Action<HttpResponseMessage>? configure = null) =>
        Respond(status, configure, $$$"""{"error":{"message":"scripted","code":"{{{code}}}","param":null,"requestId":"req_1"}}""");

    public ScriptedHandler Throw(Exception exception) =>
        Then((_, _) => Task.FromException<HttpResponseMessage>(exception));

    /// <summary>Never answers: the attempt ends only when its token is cancelled.</summary>
    public ScriptedHandler Hang() =>
        Then(static (_, cancellationToken) =>
        {
            TaskCompletionSource<HttpResponseMessage> answer = new();
            cancellationToken.Register(() => answer.TrySetCanceled(cancellationToken));
            return answer.Task;
        });

    public ScriptedHandler Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> step)
    {
        _script.Enqueue(step);
        return this;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? key = request.Headers.TryGetValues("Idempotency-Key", out IEnumerable<string>? values) ? string.Join(",", values) : null;
        byte[]? body = null;
        if (request.Content is { } content)
        {
            using MemoryStream copy = new();
            content.CopyTo(copy, null, cancellationToken); // as a socket handler sends it
            body = copy.ToArray();
        }

        lock (_attempts)
        {
            _attempts.Add(new Attempt(request, time.GetUtcNow() - time.Start, key, body));
        }

        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> step;
        if (_script.TryDequeue(out Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? next))
        {
            _last = next;
            step = next;
        }
        else if (RepeatLast && _last is not null)
        {
            step = _last;
        }
        else
        {
            return Task.FromException<HttpResponseMessage>(new InvalidOperationException($"Unexpected attempt {_attempts.Count}: the script has no more steps."));
        }

        return step(request, cancellationToken);
    }
}

/// <summary>String content that remembers being disposed.</summary>
internal sealed class TrackingContent(string body) : StringContent(body, System.Text.Encoding.UTF8, "application/json")
{
    public bool IsDisposed { get; private set; }

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}
