using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Telemetry;

namespace Kobbopay.Sdk.Resilience;

/// <summary>
/// Logs the circuit breaker's state changes from Polly's telemetry stream, then hands every event on to the listener
/// that was there before (the library's metering and logging under the <c>Polly</c> meter and category). Polly reports
/// state changes inline this way; its <c>OnOpened</c>/<c>OnClosed</c>/<c>OnHalfOpened</c> callbacks would instead run
/// on a background executor that every call changing the state waits for.
/// </summary>
/// <param name="logger">Where the state changes are logged.</param>
/// <param name="next">The listener the builder had, or <see langword="null"/>.</param>
internal sealed class KobbopayCircuitBreakerLogger(ILogger logger, TelemetryListener? next) : TelemetryListener
{
    /// <inheritdoc/>
    public override void Write<TResult, TArgs>(in TelemetryEventArguments<TResult, TArgs> args)
    {
        switch (args.Arguments)
        {
            case OnCircuitOpenedArguments<TResult> opened:
                KobbopayResilienceLog.CircuitOpened(logger, opened.BreakDuration);
                break;
            case OnCircuitHalfOpenedArguments:
                KobbopayResilienceLog.CircuitHalfOpened(logger);
                break;
            case OnCircuitClosedArguments<TResult>:
                KobbopayResilienceLog.CircuitClosed(logger);
                break;
        }

        next?.Write(args);
    }
}
