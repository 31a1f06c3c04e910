namespace Kobbopay.Webhooks.Tests.TestSupport;

/// <summary>Builds Standard Webhooks request headers.</summary>
internal static class StandardWebhooksHeaders
{
    public static WebhookHeaders Create(string? id, string? timestamp, string? signature)
    {
        WebhookHeaders headers = new();
        if (id is not null)
        {
            headers.Add("webhook-id", id);
        }

        if (timestamp is not null)
        {
            headers.Add("webhook-timestamp", timestamp);
        }

        if (signature is not null)
        {
            headers.Add("webhook-signature", signature);
        }

        return headers;
    }

    public static WebhookHeaders Create(string id, long timestamp, string signature) =>
        Create(id, timestamp.ToString(CultureInfo.InvariantCulture), signature);
}
