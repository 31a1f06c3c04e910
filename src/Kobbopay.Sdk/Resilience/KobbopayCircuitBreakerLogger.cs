using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Telemetry;

namespace Kobbopay.Sdk.Resilience;

/// <summary>
/// Logs the circuit breaker's state changes from Polly's telemetry stream. Polly reports them inline; its
/// <c>OnOpened</c>/<c>OnClosed</c>/<c>OnHalfOpened</c> callbacks would instead run on a background executor that
/// every call changing the state waits for.
/// </summary>
/// <param name="logger">Where the state changes are logged.</param>
internal sealed class KobbopayCircuitBreakerLogger(ILogger logger) : TelemetryListener
{
    private readonly ILogger _logger = logger;

    /// <inheritdoc/>
    public override void Write<TResult, TArgs>(in TelemetryEventArguments<TResult, TArgs> args)
    {
        switch (args.Arguments)
        {
            case OnCircuitOpenedArguments<TResult> opened:
                KobbopayResilienceLog.CircuitOpened(_logger, opened.BreakDuration);
                break;
            case OnCircuitHalfOpenedArguments:
                KobbopayResilienceLog.CircuitHalfOpened(_logger);
                break;
            case OnCircuitClosedArguments<TResult>:
                KobbopayResilienceLog.CircuitClosed(_logger);
                break;
        }
    }
}
