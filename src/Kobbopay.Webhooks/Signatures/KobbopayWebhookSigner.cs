using System.Globalization;

namespace Kobbopay.Webhooks;

/// <summary>Signs payloads the way the gateway does: for merchants' own tests, and for the simulator.</summary>
public static class KobbopayWebhookSigner
{
    /// <summary>Makes the signature headers for a body.</summary>
    /// <param name="body">The raw body that will be sent.</param>
    /// <param name="scheme"><see cref="HmacSha256HexSignatureScheme.SchemeName"/> or <see cref="StandardWebhooksSignatureScheme.SchemeName"/>.</param>
    /// <param name="secret">The secret.</param>
    /// <param name="eventId">The event id (Standard Webhooks signs it as <c>webhook-id</c>).</param>
    /// <param name="timestamp">The signing time (Standard Webhooks signs it as <c>webhook-timestamp</c>).</param>
    /// <returns>The headers to send with the body.</returns>
    /// <exception cref="ArgumentException">An unknown scheme, or an empty secret or event id.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Sign(ReadOnlySpan<byte> body, string scheme, string secret, string eventId, DateTimeOffset timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        switch (scheme)
        {
            case HmacSha256HexSignatureScheme.SchemeName:
                return [new(HmacSha256HexSignatureScheme.DefaultHeaderName, HmacSha256HexSignatureScheme.ComputeSignature(body, secret))];
            case StandardWebhooksSignatureScheme.SchemeName:
                long seconds = timestamp.ToUnixTimeSeconds();
                return
                [
                    new(StandardWebhooksSignatureScheme.IdHeader, eventId),
                    new(StandardWebhooksSignatureScheme.TimestampHeader, seconds.ToString(CultureInfo.InvariantCulture)),
                    new(StandardWebhooksSignatureScheme.SignatureHeader, StandardWebhooksSignatureScheme.ComputeSignature(body, secret, eventId, seconds)),
                ];
            default:
                throw new ArgumentException($"Unknown signature scheme '{scheme}'; use {HmacSha256HexSignatureScheme.SchemeName} or {StandardWebhooksSignatureScheme.SchemeName}.", nameof(scheme));
        }
    }
}
