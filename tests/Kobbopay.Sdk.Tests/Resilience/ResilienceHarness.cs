using Kobbopay.Sdk.Resilience;
using Kobbopay.TestUtilities;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.Sdk.Tests.Resilience;

/// <summary>
/// The resilience handler over a <see cref="ScriptedHandler"/>, on a <see cref="FakeTimeProvider"/>. Calls are driven
/// by moving the clock in steps of <see cref="Step"/> until the call completes: no real time passes.
/// </summary>
internal sealed class ResilienceHarness : IDisposable
{
    public const string PaymentsUrl = "https://api.kobbopay.test/v1/payments";

    /// <summary>
    /// How far the clock moves at a time. A timer fires at the end of the step that reaches its due time, so every
    /// delay the tests script (whole tenths of a second) is seen exactly.
    /// </summary>
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

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

    /// <summary>Gets how far the clock has moved since the harness was created.</summary>
    public TimeSpan Elapsed => Time.GetUtcNow() - Time.Start;

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

    /// <summary>
    /// Sends <paramref name="request"/> and advances the clock step by step until the call completes; a call still
    /// running when its total request timeout has passed fails the test.
    /// </summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Time.AdvanceUntilCompletedAsync(Start(request, cancellationToken), Step, Options.TotalRequestTimeout);

    public void Dispose() => _invoker.Dispose();
}
