// Uses Kobbopay.Sdk the way a merchant would. Published trimmed by build/trim-check.sh; run the output against a
// gateway or the simulator (dotnet run --project src/Kobbopay.Simulator) to see the trimmed client work end to end.
using System.Text;
using Kobbopay.Sdk;
using Kobbopay.Webhooks;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    // Webhook self-check, trimmed: sign a body as the gateway does, verify it, parse it.
    byte[] body = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"payment.paid","createdAt":"2026-11-21T10:00:00Z","paymentId":"pay_1","sequence":2,"previousStatus":"pending","data":{"payment":{"id":"pay_1","status":"paid","amount":"1.50","currency":"USDT","network":"n","orderId":"o"}}}""");
    var headers = new WebhookHeaders(KobbopayWebhookSigner.Sign(body, HmacSha256HexSignatureScheme.SchemeName, "trim-secret", "evt_1", DateTimeOffset.UnixEpoch));
    var verified = new HmacSha256HexSignatureScheme(["trim-secret"]).Verify(body.AsSpan(), headers);
    var parsed = WebhookEventParser.Parse(body);
    if (!verified.IsValid || parsed.Payment?.Amount != 1.50m || WebhookDedupeKey.For(parsed) != "evt_1")
    {
        Console.Error.WriteLine($"trim-test: webhook self-check failed ({verified.Failure})");
        return 1;
    }

    Console.WriteLine("webhook self-check: signed, verified and parsed");
    Console.WriteLine("usage: Kobbopay.Sdk.TrimTest <base-address> [api-key]");
    Console.WriteLine("  Creates one payment against the gateway at <base-address> (for example http://127.0.0.1:5080/)");
    Console.WriteLine("  and reads it back. The api key defaults to the simulator's test key.");
    return 0;
}

if (!Uri.TryCreate(args[0], UriKind.Absolute, out var baseAddress))
{
    Console.Error.WriteLine($"trim-test: '{args[0]}' is not an absolute URI.");
    return 2;
}

var options = new KobbopayClientOptions
{
    BaseAddress = baseAddress,
    ApiKey = args.Length > 1 ? args[1] : "kp_test_sim_0000000000000000000000000000",
    Environment = KobbopayEnvironment.NonProduction,
};
options.EnabledRails.Add(new KobbopayRail("example-network", "USDT", 6));

var client = KobbopayClient.Create(options);
var orderId = "trim-" + Guid.NewGuid().ToString("N");
var request = new CreatePaymentRequest
{
    Amount = 12.5m,
    Currency = "USDT",
    Network = "example-network",
    OrderId = orderId,
    Metadata = new Dictionary<string, string> { ["source"] = "trim-test" },
};

try
{
    var created = await client.CreatePaymentAsync(request, KobbopayIdempotencyKey.FromOrderId(orderId));
    var fetched = await client.GetPaymentAsync(created.Id);
    Console.WriteLine($"created {created.Id} {created.Status} {created.Amount} {created.Currency}; read back {fetched.Status}");
    return 0;
}
catch (KobbopayApiException e)
{
    Console.Error.WriteLine($"trim-test: the gateway answered {e.StatusCode} {e.ErrorCode}: {e.GatewayMessage} (request {e.RequestId})");
    return 1;
}
catch (KobbopayException e)
{
    Console.Error.WriteLine($"trim-test: {e.GetType().Name}: {e.Message}");
    return 1;
}
