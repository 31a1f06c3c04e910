using Kobbopay.Sdk.Resilience;
using Kobbopay.TestUtilities;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kobbopay.Sdk.Tests.Resilience;

/// <summary>
/// The resilience handler over a <see cref="ScriptedHandler"/>, on a <see cref="FakeTimeProvider"/>. Calls are driven
/// by jumping the clock from one pending timer to the next until the call completes: no real time passes.
/// </summary>
internal sealed class ResilienceHarness : IDisposable
{
    public const string PaymentsUrl = "https://api.kobbopay.test/v1/payments";

    private readonly HttpMessageInvoker _invoker;

    public ResilienceHarness(KobbopayResilienceOptions? options = null, ILogger? logger = null)
    {
        Options = options ?? new KobbopayResilienceOptions();
        Server = new ScriptedHandler(Time);
        // The library's handler over the SDK's pipeline, as the client has it.
        ResilienceHandler handler = new(KobbopayResiliencePipeline.Create(Options, Time, logger ?? NullLogger.Instance))
        {
            InnerHandler = Server,
        };
        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public FakeTimeProvider Time { get; } = new();

    public ScriptedHandler Server { get; }

    public KobbopayResilienceOptions Options { get; }

    public static HttpRequestMessage Get(string url = PaymentsUrl + "/pay_1") => new(HttpMethod.Get, url);

    public static HttpRequestMessage Post(string? idempotencyKey)
    {
        HttpRequestMessage request = new(HttpMethod.Post, PaymentsUrl)
        {
            Content = new ByteArrayContent("""{"amount":"10.50","currency":"USDT"}"""u8.ToArray()),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    /// <summary>Starts a call without moving the clock.</summary>
    public Task<HttpResponseMessage> Start(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invoker.SendAsync(request, cancellationToken);

    /// <summary>Sends <paramref name="request"/> and drives the clock until the call completes.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        DriveAsync(Start(request, cancellationToken));

    /// <summary>Advances the fake clock, timer by timer, until <paramref name="task"/> completes (at most 1000 steps).</summary>
    public async Task<T> DriveAsync<T>(Task<T> task)
    {
        for (int step = 0; step < 1000 && !task.IsCompleted; step++)
        {
            if (!Time.AdvanceToNextTimer())
            {
                await Task.Yield();
            }
        }

        task.IsCompleted.ShouldBeTrue("the call did not complete within 1000 clock steps");
        return await task;
    }

    public void Dispose() => _invoker.Dispose();
}
