using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using static Kobbopay.Sdk.Tests.TestSupport.ClientFixture;

namespace Kobbopay.Sdk.Tests.DependencyInjection;

/// <summary>
/// The API key follows configuration reloads without a restart. The simulator hosts two non-production environments,
/// one per key, so its journal shows which key each call carried.
/// </summary>
public sealed class ApiKeyRotationTests
{
    private const string OldKey = "kp_test_rotation_old_000000000000000000";
    private const string NewKey = "kp_test_rotation_new_111111111111111111";
    private const string LiveKey = "kp_live_rotation_222222222222222222222";

    [Theory]
    [InlineData(KobbopayServiceCollectionExtensions.DefaultName)]
    [InlineData("backoffice")]
    public async Task AReloadedApiKey_IsCarriedByTheNextCall_OfTheClientAlreadyInUse(string name)
    {
        await using KobbopaySimulator sim = await KobbopaySimulator.StartAsync(OneEnvironmentPerKey(), Ct);
        ReloadableConfigurationSource settings = new(Settings(sim, OldKey));
        await using ServiceProvider provider = Provider(name, settings);
        IKobbopayClientFactory factory = provider.GetRequiredService<IKobbopayClientFactory>();
        KobbopayClient client = factory.CreateClient(name);

        await client.GetPaymentsPageAsync(cancellationToken: Ct);
        settings.Replace(Settings(sim, NewKey));
        await client.GetPaymentsPageAsync(cancellationToken: Ct);
        await factory.CreateClient(name).GetPaymentsPageAsync(cancellationToken: Ct);

        sim.Requests.Select(r => r.Environment).ShouldBe(["old", "new", "new"]);
    }

    [Fact]
    public async Task AnInvalidReloadedApiKey_IsRefusedWithAWarningNamingTheSetting_AndTheLastValidKeyStays()
    {
        await using KobbopaySimulator sim = await KobbopaySimulator.StartAsync(OneEnvironmentPerKey(), Ct);
        ReloadableConfigurationSource settings = new(Settings(sim, OldKey));
        await using ServiceProvider provider = Provider(KobbopayServiceCollectionExtensions.DefaultName, settings);
        KobbopayClient client = provider.GetRequiredService<KobbopayClient>();
        await client.GetPaymentsPageAsync(cancellationToken: Ct);

        // The options framework's own monitor throws its validation failure to whatever reloaded the configuration.
        AggregateException reload = Should.Throw<AggregateException>(() => settings.Replace(Settings(sim, LiveKey)));
        reload.Flatten().InnerExceptions.ShouldHaveSingleItem().ShouldBeOfType<OptionsValidationException>();

        await client.GetPaymentsPageAsync(cancellationToken: Ct);
        await provider.GetRequiredService<KobbopayClient>().GetPaymentsPageAsync(cancellationToken: Ct);
        sim.Requests.Select(r => r.Environment).ShouldBe(["old", "old", "old"]);
        FakeLogRecord warning = provider.GetFakeLogCollector().GetSnapshot().Where(r => r.Level == LogLevel.Warning).ShouldHaveSingleItem();
        warning.Message.ShouldContain("Kobbopay:ApiKey is a key of the other environment");
        warning.Message.ShouldContain("the last valid settings stay in use");
        warning.Message.ShouldNotContain(LiveKey);
        warning.Message.ShouldNotContain(OldKey);

        settings.Replace(Settings(sim, NewKey));
        await client.GetPaymentsPageAsync(cancellationToken: Ct);
        sim.Requests[^1].Environment.ShouldBe("new");
    }

    private static ServiceProvider Provider(string name, ReloadableConfigurationSource settings)
    {
        IConfigurationRoot config = new ConfigurationBuilder().Add(settings).Build();
        ServiceCollection services = new();
        services.AddLogging(logging => logging.AddFakeLogging());
        services.AddKobbopayClient(name, config.GetSection("Kobbopay"));
        return services.BuildServiceProvider();
    }

    private static Dictionary<string, string?> Settings(KobbopaySimulator sim, string apiKey) => new()
    {
        ["Kobbopay:BaseAddress"] = sim.BaseAddress.ToString(),
        ["Kobbopay:ApiKey"] = apiKey,
        ["Kobbopay:Resilience:MaxRetryAttempts"] = "0",
    };

    private static KobbopaySimulatorOptions OneEnvironmentPerKey()
    {
        KobbopaySimulatorOptions options = new();
        foreach ((string name, string key) in new[] { ("old", OldKey), ("new", NewKey) })
        {
            SimulatorEnvironmentOptions environment = new() { Name = name };
            environment.ApiKeys.Add(key);
            options.Environments.Add(environment);
        }

        return options;
    }
}
