using static Kobbopay.AspNetCore.Tests.TestSupport.Payloads;

namespace Kobbopay.AspNetCore.Tests;

/// <summary>Both signature schemes, chosen by configuration, and secret rotation.</summary>
public sealed class SignatureSchemeTests
{
    private static Dictionary<string, string?> Settings(string scheme, params string[] secrets)
    {
        Dictionary<string, string?> settings = new() { ["Kobbopay:Webhooks:Scheme"] = scheme };
        for (int i = 0; i < secrets.Length; i++)
        {
            settings[$"Kobbopay:Webhooks:Secrets:{i}"] = secrets[i];
        }

        return settings;
    }

    /// <summary>Starts the app on <paramref name="scheme"/> with one secret and one more <c>Kobbopay:Webhooks:</c> setting.</summary>
    private static Task<WebhookApp> StartWithAsync(HandlerCalls calls, string scheme, string secret, string setting, string value)
    {
        Dictionary<string, string?> settings = Settings(scheme, secret);
        settings["Kobbopay:Webhooks:" + setting] = value;
        return WebhookApp.StartAsync(calls, settings: settings);
    }

    [Fact]
    public async Task StandardWebhooks_AcceptsAFreshSignature_AndRefusesAStaleOrWrongOne()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls, settings: Settings(StandardWebhooksSignatureScheme.SchemeName, StandardSecret));
        byte[] body = Event("evt_std");
        DateTimeOffset now = TimeProvider.System.GetUtcNow();

        ApiResponseAssert(await app.PostAsync(body, Sign(body, StandardSecret, StandardWebhooksSignatureScheme.SchemeName, "evt_std", now.AddMinutes(-10))), 401);
        ApiResponseAssert(await app.PostAsync(body, Sign(body, StandardSecret, StandardWebhooksSignatureScheme.SchemeName, "evt_std", now.AddMinutes(10))), 401);
        ApiResponseAssert(await app.PostAsync(body, Sign(body, OtherStandardSecret, StandardWebhooksSignatureScheme.SchemeName, "evt_std", now)), 401);
        ApiResponseAssert(await app.PostAsync(body, Sign(body)), 401); // an hmac-sha256-hex signature means nothing here
        ApiResponseAssert(await app.PostAsync(body, Sign(body, StandardSecret, StandardWebhooksSignatureScheme.SchemeName, "evt_std", now)), 200);
        ApiResponseAssert(await app.PostAsync(body, Sign(body, StandardSecret, StandardWebhooksSignatureScheme.SchemeName, "evt_std", now.AddSeconds(-30))), 200);

        calls.Counts["evt_std"].ShouldBe(1);
    }

    [Fact]
    public async Task StandardWebhooks_ToleranceIsConfigurable()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await StartWithAsync(calls, StandardWebhooksSignatureScheme.SchemeName, StandardSecret, "Tolerance", "00:15:00");
        byte[] body = Event("evt_tolerance");

        ApiResponseAssert(await app.PostAsync(body, Sign(body, StandardSecret, StandardWebhooksSignatureScheme.SchemeName, "evt_tolerance", TimeProvider.System.GetUtcNow().AddMinutes(-10))), 200);
    }

    [Theory]
    [InlineData(HmacSha256HexSignatureScheme.SchemeName, Secret, OtherSecret)]
    [InlineData(StandardWebhooksSignatureScheme.SchemeName, StandardSecret, OtherStandardSecret)]
    public async Task Rotation_AcceptsTheOldAndTheNewSecret_AndNothingElse(string scheme, string oldSecret, string newSecret)
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls, settings: Settings(scheme, oldSecret, newSecret));
        byte[] signedWithOld = Event("evt_old");
        byte[] signedWithNew = Event("evt_new");
        byte[] signedWithRetired = Event("evt_retired");
        string retired = scheme == HmacSha256HexSignatureScheme.SchemeName ? "retired-secret" : "whsec_cmV0aXJlZC1zZWNyZXQtMDAwMDAw";
        DateTimeOffset now = TimeProvider.System.GetUtcNow();

        ApiResponseAssert(await app.PostAsync(signedWithOld, Sign(signedWithOld, oldSecret, scheme, "evt_old", now)), 200);
        ApiResponseAssert(await app.PostAsync(signedWithNew, Sign(signedWithNew, newSecret, scheme, "evt_new", now)), 200);
        ApiResponseAssert(await app.PostAsync(signedWithRetired, Sign(signedWithRetired, retired, scheme, "evt_retired", now)), 401);

        calls.Counts.Keys.Order().ShouldBe(["evt_new", "evt_old"]);
    }

    [Fact]
    public async Task Hmac_ReadsTheConfiguredHeader()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await StartWithAsync(calls, HmacSha256HexSignatureScheme.SchemeName, Secret, "SignatureHeaderName", "x-kp-signature");
        byte[] body = Event("evt_header");
        string signature = HmacSha256HexSignatureScheme.ComputeSignature(body, Secret);

        ApiResponseAssert(await app.PostAsync(body, [new("x-signature", signature)]), 401);
        ApiResponseAssert(await app.PostAsync(body, [new("x-kp-signature", signature)]), 200);
    }

    private static void ApiResponseAssert(Kobbopay.TestUtilities.ApiResponse response, int status) =>
        response.Status.ShouldBe(status, response.Body);
}
