using Polly;

namespace Kobbopay.Sdk.Resilience;

/// <summary>
/// Sends each request through the resilience pipeline (see <see cref="KobbopayResiliencePipeline"/>). On a retry
/// the same request is sent again as is: the client's request content is a byte array, so it can be resent.
/// </summary>
/// <param name="pipeline">The pipeline, shared by every call of a client.</param>
internal sealed class KobbopayResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));

    /// <inheritdoc/>
    /// <exception cref="Polly.Timeout.TimeoutRejectedException">The total request timeout elapsed.</exception>
    /// <exception cref="Polly.CircuitBreaker.BrokenCircuitException">The circuit is open: the request was not sent.</exception>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(KobbopayResiliencePipeline.RequestKey, request);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask<HttpResponseMessage>(state.Handler.BaseSendAsync(state.Request, ctx.CancellationToken)),
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> BaseSendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
