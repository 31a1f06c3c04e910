using Kobbopay.Contracts;
using Kobbopay.Webhooks;

namespace Kobbopay.Simulator.Internal.Delivery;

/// <summary>The webhook endpoints: add, remove, enable again, list.</summary>
internal sealed partial class WebhookDispatcher
{
    /// <summary>
    /// Registers an endpoint for the events that follow; without a secret, one of the scheme's form is made. Throws
    /// <c>invalid_request</c> for a url that is not absolute http(s), an unknown scheme, a secret the scheme refuses, or an environment the simulator does not host.
    /// </summary>
    public SimulatedWebhookEndpoint Add(Uri url, string? secret, string scheme, string? environment)
    {
        CheckUrl(url);
        if (_options.UnhostedEnvironment("environment", environment) is { } unhosted)
        {
            throw new SimulatorException("invalid_request", unhosted) { Param = "environment" };
        }

        secret ??= scheme == StandardWebhooksSignatureScheme.SchemeName
            ? KobbopayPrefixes.StandardWebhooksSecret + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))
            : "whsk_" + Wire.NewId(string.Empty, 32);
        CheckSigning(secret, scheme);
        EndpointState state = new(Wire.NewId("we_"), url, secret, scheme, environment);
        lock (_gate)
        {
            _endpoints.Add(state);
        }

        return state.Snapshot();
    }

    /// <summary>Throws <c>invalid_request</c> for a url that is not absolute http(s).</summary>
    private static void CheckUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new SimulatorException("invalid_request", "url must be an absolute http or https address.") { Param = "url" };
        }
    }

    /// <summary>Checks the scheme and the secret's form the way a receiver will (the scheme only, with <paramref name="schemeOnly"/>); throws <c>invalid_request</c> when either is refused.</summary>
    private static void CheckSigning(string secret, string scheme, bool schemeOnly = false)
    {
        if (schemeOnly && scheme is HmacSha256HexSignatureScheme.SchemeName or StandardWebhooksSignatureScheme.SchemeName)
        {
            return;
        }

        try
        {
            _ = scheme switch
            {
                HmacSha256HexSignatureScheme.SchemeName => (IWebhookSignatureScheme)new HmacSha256HexSignatureScheme([secret]),
                StandardWebhooksSignatureScheme.SchemeName => new StandardWebhooksSignatureScheme([secret]),
                _ => throw new ArgumentException($"scheme must be {HmacSha256HexSignatureScheme.SchemeName} or {StandardWebhooksSignatureScheme.SchemeName}."),
            };
        }
        catch (ArgumentException ex)
        {
            throw new SimulatorException("invalid_request", ex.Message) { Param = scheme is HmacSha256HexSignatureScheme.SchemeName or StandardWebhooksSignatureScheme.SchemeName ? "secret" : "scheme" };
        }
    }

    /// <summary>Removes an endpoint; its pending deliveries are cancelled (an attempt under way is recorded, never retried).</summary>
    public bool Remove(string id)
    {
        lock (_gate)
        {
            if (_endpoints.RemoveAll(e => e.Id == id) == 0)
            {
                return false;
            }

            foreach (DeliveryState delivery in _order)
            {
                if (delivery.Endpoint.Id == id && delivery.Status == "pending")
                {
                    delivery.Status = "cancelled";
                    delivery.NextAttemptAt = null;
                }
            }

            return true;
        }
    }

    /// <summary>Enables an endpoint again (after a 410 disabled it); later events and redeliveries go to it.</summary>
    public SimulatedWebhookEndpoint Enable(string id)
    {
        lock (_gate)
        {
            EndpointState endpoint = _endpoints.Find(e => e.Id == id) ?? throw new SimulatorException("endpoint_not_found", "No webhook endpoint has that id.");
            endpoint.Enabled = true;
            endpoint.DisabledReason = null;
            return endpoint.Snapshot();
        }
    }

    /// <summary>The registered endpoints, in the order they were added.</summary>
    public IReadOnlyList<SimulatedWebhookEndpoint> Endpoints
    {
        get
        {
            lock (_gate)
            {
                return [.. _endpoints.Select(e => e.Snapshot())];
            }
        }
    }
}
