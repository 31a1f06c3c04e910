using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kobbopay.Simulator.Tests.TestSupport;

/// <summary>Builds create bodies and creates payments over HTTP.</summary>
internal static class Payments
{
    public const string Path = "v1/payments";

    public static string NewOrderId() => "order-" + Guid.NewGuid().ToString("N");

    public static JsonObject BodyObject(
        string amount = "10.50",
        string currency = "USDT",
        string network = "example-network",
        string? orderId = null,
        IReadOnlyDictionary<string, string>? metadata = null,
        int? expiresInSeconds = null)
    {
        JsonObject body = new()
        {
            ["amount"] = amount,
            ["currency"] = currency,
            ["network"] = network,
            ["orderId"] = orderId ?? NewOrderId(),
        };
        if (metadata is not null)
        {
            JsonObject meta = [];
            foreach (var (key, value) in metadata)
            {
                meta[key] = value;
            }

            body["metadata"] = meta;
        }

        if (expiresInSeconds is { } seconds)
        {
            body["expiresInSeconds"] = seconds;
        }

        return body;
    }

    public static string Body(
        string amount = "10.50",
        string currency = "USDT",
        string network = "example-network",
        string? orderId = null,
        IReadOnlyDictionary<string, string>? metadata = null,
        int? expiresInSeconds = null)
        => BodyObject(amount, currency, network, orderId, metadata, expiresInSeconds).ToJsonString();

    public static Task<ApiResponse> PostAsync(HttpClient client, string? body, string? idempotencyKey = null)
        => client.PostJsonAsync(Path, body, idempotencyKey, Sim.Ct);

    /// <summary>Creates a payment and returns it; fails the test unless the answer is 201.</summary>
    public static async Task<JsonElement> CreateAsync(HttpClient client, string? body = null, string? idempotencyKey = null)
    {
        var response = await PostAsync(client, body ?? Body(), idempotencyKey);
        response.Status.ShouldBe(201, response.Body);
        return response.Json;
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, string id)
    {
        var response = await client.GetApiAsync($"{Path}/{Uri.EscapeDataString(id)}", Sim.Ct);
        response.Status.ShouldBe(200, response.Body);
        return response.Json;
    }

    /// <summary>Every event of one payment, oldest first, read through <c>GET /v1/events</c>.</summary>
    public static async Task<List<JsonElement>> EventsOfAsync(HttpClient client, string paymentId)
    {
        var (events, _) = await Pages.ReadAllAsync(client, "v1/events", limit: 100);
        return [.. events.Where(e => e.Str("paymentId") == paymentId)];
    }
}
