using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kobbopay.Simulator.Tests.TestSupport;

/// <summary>Builds create bodies and creates payments over HTTP.</summary>
internal static class Payments
{
    public const string Path = "v1/payments";

    public static string NewOrderId() => "order-" + Guid.NewGuid().ToString("N");

    /// <summary>A valid create body (or one with the fields given changed), as JSON text.</summary>
    public static string Body(
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

        return body.ToJsonString();
    }

    /// <summary>A create body as a JSON object to change field by field: <paramref name="json"/>, or a valid <see cref="Body"/>.</summary>
    public static JsonObject BodyObject(string? json = null) => JsonNode.Parse(json ?? Body())!.AsObject();

    /// <summary>The rails every simulator enables by default: network, currency and the asset's decimals.</summary>
    public static TheoryData<string, string, int> DefaultRails => new()
    {
        { "example-network", "USDT", 6 },
        { "ethereum", "USDC", 6 },
        { "bitcoin", "BTC", 8 },
        { "ethereum", "ETH", 18 },
    };

    /// <summary>An amount with exactly <paramref name="decimals"/> decimals, the last one 1, after <paramref name="units"/>.</summary>
    public static string AmountWithDecimals(string units, int decimals) => units + "." + new string('0', decimals - 1) + "1";

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
