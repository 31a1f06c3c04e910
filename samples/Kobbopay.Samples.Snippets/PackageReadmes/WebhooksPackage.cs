using Kobbopay.Sdk;
using Kobbopay.Webhooks;

namespace Shop.PackageReadmes;

// src/Kobbopay.Webhooks/README.md: the package's use.
public static class WebhooksPackage
{
    public static async Task<WebhookProcessingResult> UseAsync(string signingSecret, byte[] rawBody, string signatureHeader)
    {
        // snippet: webhooks
        var processor = new WebhookProcessor(
            new HmacSha256HexSignatureScheme([signingSecret]), new InMemoryWebhookEventStore(TimeProvider.System));
        WebhookProcessingResult result = await processor.ProcessAsync(
            rawBody, new WebhookHeaders([new("x-signature", signatureHeader)]), (paymentEvent, ct) => HandleAsync(paymentEvent, ct));
        // end snippet
        return result;
    }

    private static Task HandleAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken) => Task.CompletedTask; // your code
}
