using System.Text;
using System.Text.Json.Nodes;

namespace Kobbopay.Simulator.Tests;

/// <summary>Every rejected create answers the contract's error and leaves no payment behind.</summary>
public sealed class CreateValidationTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private const string AnyParam = "*";

    private KobbopaySimulator Sim0 => fixture.Simulator;

    public static TheoryData<string, string, string?> InvalidBodies()
    {
        TheoryData<string, string, string?> data = new()
        {
            // name, body, expected param ("*" = not checked, "metadata*" = starts with metadata)
            { "malformed JSON", """{"amount":"10.50",""", null },
            { "not JSON at all", "amount=10.50", null },
            { "empty JSON body", "", null },
            { "array", "[]", AnyParam },
            { "string", "\"payment\"", AnyParam },
            { "number", "42", AnyParam },
            { "JSON null", "null", AnyParam },
            { "amount as a JSON number", With("amount", 10.5), "amount" },
            { "amount as a JSON integer", With("amount", 10), "amount" },
            { "negative amount", With("amount", "-1.00"), "amount" },
            { "signed amount", With("amount", "+1.00"), "amount" },
            { "zero amount", With("amount", "0"), "amount" },
            { "zero amount with decimals", With("amount", "0.00"), "amount" },
            { "exponent amount", With("amount", "1e5"), "amount" },
            { "text amount", With("amount", "ten"), "amount" },
            { "empty amount", With("amount", ""), "amount" },
            { "amount with spaces", With("amount", " 1.00"), "amount" },
            { "amount with a comma", With("amount", "1,00"), "amount" },
            { "amount of 29 digits", With("amount", "12345678901234567890123456789"), "amount" },
            { "null amount", With("amount", null), "amount" },
            { "missing amount", Without("amount"), "amount" },
            { "missing currency", Without("currency"), "currency" },
            { "empty currency", With("currency", ""), "currency" },
            { "currency of 17 characters", With("currency", new string('C', 17)), "currency" },
            { "currency as a number", With("currency", 5), "currency" },
            { "missing network", Without("network"), "network" },
            { "empty network", With("network", ""), "network" },
            { "network of 65 characters", With("network", new string('n', 65)), "network" },
            { "missing orderId", Without("orderId"), "orderId" },
            { "empty orderId", With("orderId", ""), "orderId" },
            { "orderId of 129 characters", With("orderId", new string('o', 129)), "orderId" },
            { "orderId with a control character", With("orderId", "order\u0001x"), "orderId" },
            { "metadata with a number value", With("metadata", new JsonObject { ["k"] = 1 }), "metadata*" },
            { "metadata with a null value", With("metadata", new JsonObject { ["k"] = null }), "metadata*" },
            { "metadata with an object value", With("metadata", new JsonObject { ["k"] = new JsonObject() }), "metadata*" },
            { "metadata as an array", With("metadata", new JsonArray("a")), "metadata*" },
            { "metadata as a string", With("metadata", "k=v"), "metadata*" },
            { "metadata with 51 values", With("metadata", Metadata(51, 3, 1)), "metadata*" },
            { "metadata with a 41-character key", With("metadata", Metadata(1, 41, 1)), "metadata*" },
            { "metadata with an empty key", With("metadata", new JsonObject { [""] = "v" }), "metadata*" },
            { "metadata with a 501-character value", With("metadata", Metadata(1, 1, 501)), "metadata*" },
            { "expiresInSeconds 59", With("expiresInSeconds", 59), "expiresInSeconds" },
            { "expiresInSeconds 604801", With("expiresInSeconds", 604801), "expiresInSeconds" },
            { "expiresInSeconds 0", With("expiresInSeconds", 0), "expiresInSeconds" },
            { "expiresInSeconds negative", With("expiresInSeconds", -900), "expiresInSeconds" },
            { "expiresInSeconds fractional", With("expiresInSeconds", 900.5), "expiresInSeconds" },
            { "expiresInSeconds as a string", With("expiresInSeconds", "900"), "expiresInSeconds" },
        };
        return data;
    }

    public static TheoryData<string, string> RailsNotEnabled => new()
    {
        { "bitcoin", "USDT" },
        { "example-network", "BTC" },
        { "solana", "USDT" },
        { "ethereum", "DOGE" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_InvalidBody_Returns400AndCreatesNothing(string name, string body, string? param)
    {
        var error = await ShouldBeRefusedAsync(body, 400, "invalid_request", name, idempotencyKey: "key-" + Guid.NewGuid().ToString("N"));

        var actualParam = error.Str("param");
        switch (param)
        {
            case AnyParam:
                break;
            case "metadata*":
                actualParam.ShouldNotBeNull(name);
                actualParam.ShouldStartWith("metadata", customMessage: name);
                break;
            default:
                actualParam.ShouldBe(param, name);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(RailsNotEnabled))]
    public async Task Create_RailNotEnabled_Returns422UnsupportedRail(string network, string currency)
        => await ShouldBeRefusedAsync(Payments.Body(network: network, currency: currency), 422, "unsupported_rail");

    [Theory]
    [MemberData(nameof(Payments.DefaultRails), MemberType = typeof(Payments))]
    public async Task Create_MoreDecimalsThanTheAsset_Returns422AmountPrecision(string network, string currency, int decimals)
        => await ShouldBeRefusedAsync(Payments.Body(amount: Payments.AmountWithDecimals("1", decimals + 1), network: network, currency: currency), 422, "amount_precision");

    public static TheoryData<string, string> BadIdempotencyKeys => new()
    {
        { "empty", "" },
        { "256 characters", new string('k', 256) },
        { "non-ASCII", "clé-ü-1" },
        { "with a tab", "a\tb" },
    };

    [Theory]
    [MemberData(nameof(BadIdempotencyKeys))]
    public async Task Create_BadIdempotencyKey_Returns400WithParamIdempotencyKey(string name, string key)
    {
        var error = await ShouldBeRefusedAsync(Payments.Body(), 400, "invalid_request", name, key);

        error.Str("param").ShouldBe("Idempotency-Key", name);
    }

    [Fact]
    public async Task Create_IdempotencyKeyOf255PrintableCharacters_IsAccepted()
    {
        using var client = Sim0.CreateClient();
        var key = new string('k', 250) + "-~!#" + Guid.NewGuid().ToString("N")[..1];

        var response = await Payments.PostAsync(client, Payments.Body(), key);

        key.Length.ShouldBe(255);
        response.Status.ShouldBe(201, response.Body);
    }

    [Fact]
    public async Task Create_OrderIdOf128Characters_IsAccepted()
    {
        using var client = Sim0.CreateClient();
        var orderId = Guid.NewGuid().ToString("N") + new string('o', 96);

        var payment = await Payments.CreateAsync(client, Payments.Body(orderId: orderId));

        orderId.Length.ShouldBe(128);
        payment.Str("orderId").ShouldBe(orderId);
    }

    [Fact]
    public async Task Create_MetadataAtItsLimits_IsAccepted()
    {
        using var client = Sim0.CreateClient();
        var metadata = new Dictionary<string, string>();
        for (var i = 0; i < 50; i++)
        {
            metadata[$"{i:D2}" + new string('k', 38)] = new string('v', 500);
        }

        var payment = await Payments.CreateAsync(client, Payments.Body(metadata: metadata));

        payment.Prop("metadata").EnumerateObject().Count().ShouldBe(50);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task Create_WrongContentType_Returns415AndCreatesNothing(string mediaType)
    {
        using var client = Sim0.CreateClient();
        var before = Sim0.PaymentCount;
        var request = HttpClientApiExtensions.CreateJsonRequest(HttpMethod.Post, Payments.Path, Payments.Body(), idempotencyKey: null, mediaType);

        var response = await client.SendApiAsync(request, Sim.Ct);

        response.ShouldBeError(415, "invalid_request");
        Sim0.PaymentCount.ShouldBe(before);
    }

    [Theory]
    [InlineData(64 * 1024 + 1)]
    [InlineData(1024 * 1024)]
    public async Task Create_BodyOverTheCap_Returns413AndCreatesNothing(int bytes)
        => await ShouldBeRefusedAsync(PaddedBody(bytes), 413, "invalid_request");

    [Fact]
    public async Task Create_BodyExactlyAtTheCap_IsAccepted()
    {
        using var client = Sim0.CreateClient();

        var response = await Payments.PostAsync(client, PaddedBody(64 * 1024));

        response.Status.ShouldBe(201, response.Body.Length > 500 ? response.Body[..500] : response.Body);
    }

    /// <summary>Posts a create that must be refused with the contract's error; checks that no payment was made and returns the error.</summary>
    private async Task<System.Text.Json.JsonElement> ShouldBeRefusedAsync(string body, int status, string code, string? name = null, string? idempotencyKey = null)
    {
        using var client = Sim0.CreateClient();
        var before = Sim0.PaymentCount;

        var response = await Payments.PostAsync(client, body, idempotencyKey);

        var error = response.ShouldBeError(status, code);
        Sim0.PaymentCount.ShouldBe(before, name);
        return error;
    }

    /// <summary>A valid create body of exactly <paramref name="bytes"/> UTF-8 bytes: metadata padding, then whitespace.</summary>
    internal static string PaddedBody(int bytes)
    {
        var metadata = new Dictionary<string, string> { ["pad"] = new string('p', 400) };
        var json = Payments.Body(metadata: metadata);
        var missing = bytes - Encoding.UTF8.GetByteCount(json);
        missing.ShouldBeGreaterThanOrEqualTo(0);
        var padded = json[..^1] + new string(' ', missing) + "}";
        Encoding.UTF8.GetByteCount(padded).ShouldBe(bytes);
        return padded;
    }

    private static string With(string property, JsonNode? value)
    {
        var body = Payments.BodyObject();
        body[property] = value;
        return body.ToJsonString();
    }

    private static string Without(string property)
    {
        var body = Payments.BodyObject();
        body.Remove(property);
        return body.ToJsonString();
    }

    private static JsonObject Metadata(int count, int keyLength, int valueLength)
    {
        JsonObject metadata = [];
        for (var i = 0; i < count; i++)
        {
            var key = (i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + new string('k', keyLength))[..keyLength];
            metadata[key] = new string('v', valueLength);
        }

        return metadata;
    }
}
