using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Testing;
using static Kobbopay.AspNetCore.Tests.TestSupport.Payloads;

namespace Kobbopay.AspNetCore.Tests;

/// <summary>The secrets follow configuration reloads at run time: no restart, the next delivery uses the new set.</summary>
public sealed class WebhookSecretRotationTests
{
    private const string SecretKey = "Kobbopay:Webhooks:Secrets:0";

    [Fact]
    public async Task AfterAReload_TheRemovedSecretGets401_AndTheAddedSecret200_OnTheNextRequest()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls);
        IConfigurationRoot configuration = (IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>();
        byte[] before = Event("evt_before");
        byte[] removed = Event("evt_removed");
        byte[] added = Event("evt_added");

        (await app.PostAsync(before, Sign(before, Secret))).Status.ShouldBe(200);
        configuration[SecretKey] = OtherSecret;
        configuration.Reload();

        (await app.PostAsync(removed, Sign(removed, Secret))).ToString().ShouldBe(WebhookApp.Answer(401, "unauthorized"));
        (await app.PostAsync(added, Sign(added, OtherSecret))).ToString().ShouldBe(WebhookApp.Answer(200, "processed"));
        calls.Counts.Keys.Order().ShouldBe(["evt_added", "evt_before"]);
    }

    [Fact]
    public async Task AnInvalidReload_IsRefusedWithAWarningNamingTheSetting_AndTheLastValidSecretsStay()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls);
        IConfigurationRoot configuration = (IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>();
        const string Padded = " whk_test_padded_secret ";
        byte[] body = Event("evt_kept");

        configuration[SecretKey] = Padded;
        // The options framework's own monitor throws its validation failure to whatever reloaded the configuration.
        Should.Throw<AggregateException>(configuration.Reload).Flatten().InnerExceptions.ShouldHaveSingleItem().ShouldBeOfType<Microsoft.Extensions.Options.OptionsValidationException>();

        (await app.PostAsync(body, Sign(body, Secret))).ToString().ShouldBe(WebhookApp.Answer(200, "processed"));
        FakeLogRecord warning = app.Logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning).ShouldHaveSingleItem();
        warning.Message.ShouldContain("Kobbopay:Webhooks:Secrets:0 starts or ends with white space");
        warning.Message.ShouldContain("the last valid settings stay in use");
        warning.Message.ShouldNotContain(Padded.Trim());
        warning.Message.ShouldNotContain(Secret);
    }
}
