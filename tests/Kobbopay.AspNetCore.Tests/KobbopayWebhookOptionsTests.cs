using Microsoft.Extensions.Options;
using static Kobbopay.AspNetCore.Tests.TestSupport.Payloads;
using static Kobbopay.AspNetCore.Tests.TestSupport.WebhookApp;

namespace Kobbopay.AspNetCore.Tests;

/// <summary>Binding, start-up validation and redaction of <see cref="KobbopayWebhookOptions"/>.</summary>
public sealed class KobbopayWebhookOptionsTests
{
    [Fact]
    public async Task NoSecret_FailsTheStart_NamingKobbopayWebhooksSecrets()
    {
        await using WebApplication app = Build(null, new Dictionary<string, string?> { ["Kobbopay:Webhooks:Scheme"] = "hmac-sha256-hex" }, LogLevel.Warning, null, null);

        OptionsValidationException ex = await Should.ThrowAsync<OptionsValidationException>(app.StartAsync(Ct));

        ex.Message.ShouldContain("Kobbopay:Webhooks:Secrets is required");
    }

    [Theory]
    [InlineData("Kobbopay:Webhooks:Scheme", "hmac-sha1", "Kobbopay:Webhooks:Scheme must be hmac-sha256-hex or standard-webhooks")]
    [InlineData("Kobbopay:Webhooks:MaxBodyBytes", "0", "Kobbopay:Webhooks:MaxBodyBytes must be between 1 and")]
    [InlineData("Kobbopay:Webhooks:MaxBodyBytes", "1073741824", "Kobbopay:Webhooks:MaxBodyBytes must be between 1 and")]
    [InlineData("Kobbopay:Webhooks:LeaseDuration", "00:00:00", "Kobbopay:Webhooks:LeaseDuration must be more than zero")]
    [InlineData("Kobbopay:Webhooks:LeaseDuration", "-00:01:00", "Kobbopay:Webhooks:LeaseDuration must be more than zero")]
    [InlineData("Kobbopay:Webhooks:EndpointName", "a b", "Kobbopay:Webhooks:EndpointName must be")]
    [InlineData("Kobbopay:Webhooks:SignatureHeaderName", "x signature", "Kobbopay:Webhooks:SignatureHeaderName must be")]
    [InlineData("Kobbopay:Webhooks:Secrets:1", " ", "Kobbopay:Webhooks:Secrets:1 is empty")]
    [InlineData("Kobbopay:Webhooks:AllowedNetworks:0", "10.0.0.1/8", "Kobbopay:Webhooks:AllowedNetworks:0 ('10.0.0.1/8') is not a network in CIDR notation")]
    [InlineData("Kobbopay:Webhooks:ClientCertificateThumbprints:0", "abc", "Kobbopay:Webhooks:ClientCertificateThumbprints:0 is not a SHA-256 thumbprint")]
    [InlineData("Kobbopay:Webhooks:ClientCertificateThumbprints:0", "0000000000000000000000000000000000000000000000000000000000000000", "Kobbopay:Webhooks:RequireClientCertificate is false; set it to true")]
    public async Task BadSettings_FailTheStart_NamingTheSetting(string key, string value, string expected)
    {
        Dictionary<string, string?> settings = DefaultSettings();
        settings[key] = value;
        await using WebApplication app = Build(null, settings, LogLevel.Warning, null, null);

        OptionsValidationException ex = await Should.ThrowAsync<OptionsValidationException>(app.StartAsync(Ct));

        ex.Message.ShouldContain(expected);
        ex.Message.ShouldNotContain(Secret);
    }

    [Theory]
    [InlineData("<from your secret store>", "Kobbopay:Webhooks:Secrets:0 looks like a placeholder (it contains '<' or '>'): set the webhook signing secret from your environment's integration materials.")]
    [InlineData("whsk_local development_only", "Kobbopay:Webhooks:Secrets:0 contains white space; copy the secret exactly.")]
    [InlineData("whsk_local_deve", "Kobbopay:Webhooks:Secrets:0 is 15 characters long; a webhook signing secret has at least 16, so this looks like a placeholder or a cut-off copy.")]
    public async Task APlaceholderLookingSecret_FailsTheStart_NamingTheSetting_WithoutShowingTheSecret(string secret, string expected)
    {
        Dictionary<string, string?> settings = DefaultSettings();
        settings["Kobbopay:Webhooks:Secrets:0"] = secret;
        await using WebApplication app = Build(null, settings, LogLevel.Warning, null, null);

        OptionsValidationException ex = await Should.ThrowAsync<OptionsValidationException>(app.StartAsync(Ct));

        ex.Message.ShouldBe(expected);
        ex.Message.ShouldNotContain(secret.Trim());
    }

    [Theory]
    [InlineData("hmac-sha256-hex", "whsk_local_development_only")] // the simulator's development secret (kobbopay-sim trigger, the samples)
    [InlineData("hmac-sha256-hex", "whsk_consumer_check_0123456789")]
    [InlineData("hmac-sha256-hex", "whsk_local_devel")] // 16 characters: the shortest accepted
    [InlineData("standard-webhooks", StandardSecret)]
    public async Task TheDevelopmentSecretsOfTheSimulatorSamplesAndDocs_StartTheApp(string scheme, string secret)
    {
        Dictionary<string, string?> settings = new() { ["Kobbopay:Webhooks:Scheme"] = scheme, ["Kobbopay:Webhooks:Secrets:0"] = secret };
        await using WebApplication app = Build(null, settings, LogLevel.Warning, null, null);

        await app.StartAsync(Ct);
        await app.StopAsync(Ct);
    }

    [Fact]
    public async Task StandardWebhooks_WithAnUnreadableSecretOrBadTolerance_FailsTheStart_WithoutShowingTheSecret()
    {
        const string notBase64 = "whsec_this*is*not*base64!!";
        Dictionary<string, string?> settings = new()
        {
            ["Kobbopay:Webhooks:Scheme"] = "standard-webhooks",
            ["Kobbopay:Webhooks:Secrets:0"] = StandardSecret,
            ["Kobbopay:Webhooks:Secrets:1"] = notBase64,
            ["Kobbopay:Webhooks:Tolerance"] = "00:00:00",
        };
        await using WebApplication app = Build(null, settings, LogLevel.Warning, null, null);

        OptionsValidationException ex = await Should.ThrowAsync<OptionsValidationException>(app.StartAsync(Ct));

        ex.Message.ShouldContain("Kobbopay:Webhooks:Secrets:1 is not a Standard Webhooks secret");
        ex.Message.ShouldContain("Kobbopay:Webhooks:Tolerance must be more than zero");
        ex.Message.ShouldNotContain("this*is*not*base64");
        ex.Message.ShouldNotContain(StandardSecret);
    }

    [Fact]
    public async Task SettingsInCode_AreValidatedToo_UnderTheConventionalName()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddKobbopayWebhooks(o => o.MaxBodyBytes = 1024);
        await using WebApplication app = builder.Build();
        app.MapKobbopayWebhooks();

        OptionsValidationException ex = await Should.ThrowAsync<OptionsValidationException>(app.StartAsync(Ct));

        ex.Message.ShouldContain("Kobbopay:Webhooks:Secrets is required");
    }

    [Fact]
    public void Binding_ReadsEverySetting()
    {
        Dictionary<string, string?> settings = new()
        {
            ["Kobbopay:Webhooks:Scheme"] = "standard-webhooks",
            ["Kobbopay:Webhooks:Secrets:0"] = StandardSecret,
            ["Kobbopay:Webhooks:Secrets:1"] = OtherStandardSecret,
            ["Kobbopay:Webhooks:SignatureHeaderName"] = "x-kp-signature",
            ["Kobbopay:Webhooks:Tolerance"] = "00:02:00",
            ["Kobbopay:Webhooks:MaxBodyBytes"] = "4096",
            ["Kobbopay:Webhooks:LeaseDuration"] = "00:00:30",
            ["Kobbopay:Webhooks:EndpointName"] = "shop-eu",
        };
        using WebApplication app = Build(null, settings, LogLevel.Warning, null, null);

        KobbopayWebhookOptions options = app.Services.GetRequiredService<IOptions<KobbopayWebhookOptions>>().Value;

        ShouldHold(options, "standard-webhooks", [StandardSecret, OtherStandardSecret], "x-kp-signature", TimeSpan.FromMinutes(2), 4096, TimeSpan.FromSeconds(30), "shop-eu");
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        ShouldHold(new KobbopayWebhookOptions(), "hmac-sha256-hex", [], "x-signature", TimeSpan.FromMinutes(5), 262_144, TimeSpan.FromMinutes(1), "default");
    }

    /// <summary>Asserts every setting of <paramref name="options"/> (a failure shows the first index that differs).</summary>
    private static void ShouldHold(
        KobbopayWebhookOptions options, string scheme, string[] secrets, string header, TimeSpan tolerance, long maxBodyBytes, TimeSpan lease, string endpointName)
    {
        string[] actual = [options.Scheme, .. options.Secrets, options.SignatureHeaderName, $"{options.Tolerance}", $"{options.MaxBodyBytes}", $"{options.LeaseDuration}", options.EndpointName];
        actual.ShouldBe([scheme, .. secrets, header, $"{tolerance}", $"{maxBodyBytes}", $"{lease}", endpointName]);
    }

    [Fact]
    public void ToString_RedactsTheSecrets()
    {
        KobbopayWebhookOptions options = new();
        options.Secrets.Add(Secret);
        options.Secrets.Add(OtherSecret);

        string text = options.ToString();

        text.ShouldNotContain(Secret);
        text.ShouldNotContain(OtherSecret);
        text.ShouldContain("2 × ***");
        text.ShouldContain("hmac-sha256-hex");
    }

    [Fact]
    public async Task ACustomScheme_ReplacesTheSecretRequirement()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(
            calls,
            w => w.AddHandler<CatchAllHandler>().UseSignatureScheme(_ => new HmacSha256HexSignatureScheme(["from-a-vault"], "x-vault-signature")),
            settings: new Dictionary<string, string?>());
        byte[] body = Event("evt_custom");

        (await app.PostAsync(body, Sign(body))).Status.ShouldBe(401);
        (await app.PostAsync(body, [new("x-vault-signature", HmacSha256HexSignatureScheme.ComputeSignature(body, "from-a-vault"))])).Status.ShouldBe(200);
    }
}
