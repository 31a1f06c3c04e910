using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kobbopay.Sdk.Internal;

/// <summary>
/// The <c>kobbopay-gateway</c> health check of a registered client: one authenticated call (a page of one payment) with
/// the configured key. Unhealthy (the registration's failure status) when the gateway refuses the key, answers with an
/// error, or cannot be reached. The description names the problem and the setting to look at, never the key.
/// </summary>
/// <param name="clients">Hands out the client.</param>
/// <param name="name">The client's registered name.</param>
/// <param name="section">The configuration path of the client's options, for the description.</param>
internal sealed class KobbopayGatewayHealthCheck(IKobbopayClientFactory clients, string name, string section) : IHealthCheck
{
    private static readonly PaymentListOptions OnePayment = new() { PageSize = 1 };

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        HealthStatus failure = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        try
        {
            await clients.CreateClient(name).GetPaymentsPageAsync(OnePayment, cursor: null, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The gateway answered an authenticated call with the configured API key.");
        }
        catch (KobbopayApiException ex) when (ex.StatusCode is 401 or 403)
        {
            return new HealthCheckResult(failure, string.Create(
                CultureInfo.InvariantCulture,
                $"The gateway refused the configured API key ({ex.StatusCode} {ex.ErrorCode}); check {section}:ApiKey and {section}:Environment."));
        }
        catch (KobbopayApiException ex)
        {
            return new HealthCheckResult(failure, string.Create(
                CultureInfo.InvariantCulture,
                $"The gateway answered {ex.StatusCode} {ex.ErrorCode} (request {ex.RequestId ?? "(none)"})."));
        }
        catch (KobbopayException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Network failures, timeouts and an open circuit: the client's own exception says which, without the key.
            return new HealthCheckResult(failure, $"The gateway cannot be reached ({ex.GetType().Name}); check {section}:BaseAddress and the network.", ex);
        }
    }
}
