using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>
/// The <c>kobbopay-webhooks</c> check: the signature and handler failures of recent deliveries, Degraded (the
/// registration's failure status) when either reaches its threshold.
/// </summary>
/// <param name="failures">The recent failures, as the endpoint recorded them.</param>
/// <param name="options">The thresholds.</param>
internal sealed class KobbopayWebhooksHealthCheck(WebhookFailureWindow failures, KobbopayHealthCheckOptions options) : IHealthCheck
{
    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        long signatureFailures = failures.SignatureFailures;
        long handlerFailures = failures.HandlerFailures;
        Dictionary<string, object> data = new()
        {
            ["signatureFailures"] = signatureFailures,
            ["handlerFailures"] = handlerFailures,
            ["windowSeconds"] = failures.Window.TotalSeconds,
        };
        string counts = string.Create(
            CultureInfo.InvariantCulture,
            $"{signatureFailures} signature failures and {handlerFailures} handler failures in the last {failures.Window:c}");
        if (signatureFailures < options.SignatureFailureThreshold && handlerFailures < options.HandlerFailureThreshold)
        {
            return Task.FromResult(HealthCheckResult.Healthy(counts + ".", data));
        }

        string why = string.Create(
            CultureInfo.InvariantCulture,
            $"{counts}: at or over the threshold of {options.SignatureFailureThreshold} signature or {options.HandlerFailureThreshold} handler failures.");
        return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, why, data: data));
    }
}
