using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static Kobbopay.Sdk.Tests.TestSupport.ClientFixture;

namespace Kobbopay.Sdk.Tests.DependencyInjection;

/// <summary>Registration, configuration binding and start-up validation.</summary>
public sealed class AddKobbopayClientTests
{
    [Fact]
    public async Task FromConfiguration_ResolvesAWorkingClient()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var config = Config(new()
        {
            ["Kobbopay:BaseAddress"] = sim.BaseAddress.ToString(),
            ["Kobbopay:ApiKey"] = sim.TestApiKey,
            ["Kobbopay:Environment"] = "NonProduction",
            ["Kobbopay:EnabledRails:0:Network"] = "example-network",
            ["Kobbopay:EnabledRails:0:Currency"] = "USDT",
            ["Kobbopay:EnabledRails:0:Decimals"] = "6",
            ["Kobbopay:Resilience:MaxRetryAttempts"] = "5",
            ["Kobbopay:Resilience:AttemptTimeout"] = "00:00:05",
        });
        var services = new ServiceCollection();
        services.AddKobbopayClient(config.GetSection("Kobbopay"));
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<KobbopayClient>();
        var payment = await client.CreatePaymentAsync(Request("order-di"), cancellationToken: Ct);

        payment.OrderId.ShouldBe("order-di");
        var options = provider.GetRequiredService<IOptionsMonitor<KobbopayClientOptions>>().Get(KobbopayServiceCollectionExtensions.DefaultName);
        options.EnabledRails.ShouldHaveSingleItem().ShouldBe(new KobbopayRail("example-network", "USDT", 6));
        options.Resilience.MaxRetryAttempts.ShouldBe(5);
        options.Resilience.AttemptTimeout.ShouldBe(TimeSpan.FromSeconds(5));
        await Should.ThrowAsync<KobbopayUnsupportedRailException>(client.CreatePaymentAsync(Request("o", currency: "BTC", network: "bitcoin"), cancellationToken: Ct));
    }

    [Theory]
    [InlineData(null, "kp_test_abc", "NonProduction", "Kobbopay:BaseAddress is required")]
    [InlineData("https://api.example.com/", null, "NonProduction", "Kobbopay:ApiKey is required")]
    [InlineData("https://api.example.com/", "kp_live_abc", "NonProduction", "Kobbopay:ApiKey is a key of the other environment")]
    [InlineData("https://api.example.com/", "kp_test_abc", "Production", "Kobbopay:ApiKey is a key of the other environment")]
    [InlineData("https://api.example.com/", "abc", "NonProduction", "Kobbopay:ApiKey must start with kp_test_")]
    [InlineData("http://api.example.com/", "kp_test_abc", "NonProduction", "Kobbopay:BaseAddress must use https")]
    public async Task InvalidSettings_FailTheHostStart_NamingTheSetting(string? baseAddress, string? apiKey, string environment, string expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var values = new Dictionary<string, string?> { ["Kobbopay:Environment"] = environment };
        if (baseAddress is not null)
        {
            values["Kobbopay:BaseAddress"] = baseAddress;
        }

        if (apiKey is not null)
        {
            values["Kobbopay:ApiKey"] = apiKey;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.Services.AddKobbopayClient(builder.Configuration.GetSection("Kobbopay"));
        using var host = builder.Build();

        var ex = await Should.ThrowAsync<OptionsValidationException>(host.StartAsync(Ct));

        ex.Message.ShouldContain(expected);
        if (apiKey is not null)
        {
            ex.Message.ShouldNotContain(apiKey + "\"");
            ex.Message.ShouldNotContain(" " + apiKey);
        }
    }

    [Theory]
    [InlineData("Test", "Kobbopay:Environment must be one of NonProduction, Production; it is 'Test'.")]
    [InlineData("", "Kobbopay:Environment must be one of NonProduction, Production; it is ''.")]
    [InlineData("7", "Kobbopay:Environment must be one of NonProduction, Production; it is '7'.")]
    public async Task AnEnvironmentThatNamesNoValue_FailsTheHostStart_ListingTheAllowedValues(string environment, string expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(EnvironmentSettings(environment));
        builder.Services.AddKobbopayClient(builder.Configuration.GetSection("Kobbopay"));
        using var host = builder.Build();

        var ex = await Should.ThrowAsync<OptionsValidationException>(host.StartAsync(Ct));

        ex.Message.ShouldBe(expected);
    }

    [Theory]
    [InlineData("Production", KobbopayEnvironment.Production)]
    [InlineData("production", KobbopayEnvironment.Production)]
    [InlineData("NONPRODUCTION", KobbopayEnvironment.NonProduction)]
    public void AnEnvironmentInAnyCase_Binds(string environment, KobbopayEnvironment expected)
    {
        var services = new ServiceCollection();
        Dictionary<string, string?> values = EnvironmentSettings(environment);
        values["Kobbopay:ApiKey"] = expected == KobbopayEnvironment.Production ? "kp_live_abc" : "kp_test_abc";
        services.AddKobbopayClient(Config(values).GetSection("Kobbopay"));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptionsMonitor<KobbopayClientOptions>>().Get(KobbopayServiceCollectionExtensions.DefaultName).Environment.ShouldBe(expected);
    }

    [Fact]
    public void AnEnvironmentSetInCodeThatNamesNoValue_IsRefused_ListingTheAllowedValues()
    {
        var services = new ServiceCollection();
        services.AddKobbopayClient(o =>
        {
            o.BaseAddress = new Uri("https://api.example.com/");
            o.ApiKey = "kp_test_abc";
            o.Environment = (KobbopayEnvironment)7;
        });
        using var provider = services.BuildServiceProvider();

        var ex = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<KobbopayClientOptions>>().Get(KobbopayServiceCollectionExtensions.DefaultName));

        ex.Message.ShouldBe("Kobbopay:Environment must be one of NonProduction, Production; it is '7'.");
    }

    [Fact]
    public void AReloadToAnEnvironmentThatNamesNoValue_IsRefusedWithAWarningListingTheAllowedValues_AndTheLastValidSettingsStay()
    {
        ReloadableConfigurationSource settings = new(EnvironmentSettings("NonProduction"));
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddFakeLogging());
        services.AddKobbopayClient(new ConfigurationBuilder().Add(settings).Build().GetSection("Kobbopay"));
        using var provider = services.BuildServiceProvider();
        var current = KobbopayServiceCollectionExtensions.Settings(provider, KobbopayServiceCollectionExtensions.DefaultName);
        current.Current.BaseAddress.ShouldBe(new Uri("https://api.example.com/"));

        // The options framework's own monitor throws the failure to whatever reloaded the configuration.
        Dictionary<string, string?> reloaded = EnvironmentSettings("Test");
        reloaded["Kobbopay:BaseAddress"] = "https://other.example.com/";
        Should.Throw<AggregateException>(() => settings.Replace(reloaded));

        current.Current.BaseAddress.ShouldBe(new Uri("https://api.example.com/"));
        FakeLogRecord warning = provider.GetFakeLogCollector().GetSnapshot().Where(r => r.Level == LogLevel.Warning).ShouldHaveSingleItem();
        warning.Message.ShouldContain("Kobbopay:Environment must be one of NonProduction, Production; it is 'Test'.");
        warning.Message.ShouldNotContain("kp_test_abc");
    }

    [Fact]
    public async Task ALoopbackHttpAddress_IsAllowed_ForTheSimulator()
    {
        var services = new ServiceCollection();
        services.AddKobbopayClient(o =>
        {
            o.BaseAddress = new Uri("http://127.0.0.1:5080");
            o.ApiKey = "kp_test_abc";
        });
        await using var provider = services.BuildServiceProvider();

        Should.NotThrow(() => provider.GetRequiredService<IOptionsMonitor<KobbopayClientOptions>>().Get(KobbopayServiceCollectionExtensions.DefaultName));
    }

    [Theory]
    [InlineData("AttemptTimeout", "00:05:00", "Payments:Kobbopay:Resilience:AttemptTimeout must be no longer than TotalRequestTimeout (30 s); it is 00:05:00.")]
    [InlineData("MaxRetryAttempts", "50", "Payments:Kobbopay:Resilience:MaxRetryAttempts must be between 0 and 20; it is 50.")]
    public async Task BadResilienceSettings_AreRejectedNamingThemUnderTheClientsSection(string setting, string value, string expected)
    {
        var config = Config(new()
        {
            ["Payments:Kobbopay:BaseAddress"] = "https://api.example.com",
            ["Payments:Kobbopay:ApiKey"] = "kp_test_abc",
            [$"Payments:Kobbopay:Resilience:{setting}"] = value,
        });
        var services = new ServiceCollection();
        services.AddKobbopayClient("shop", config.GetSection("Payments:Kobbopay"));
        await using var provider = services.BuildServiceProvider();

        var ex = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IKobbopayClientFactory>().CreateClient("shop"));
        ex.Failures.ShouldBe([expected]);
    }

    [Fact]
    public async Task NamedClients_LiveSideBySide_EachWithItsOwnKey()
    {
        await using var sim = await KobbopaySimulator.StartAsync(BothEnvironments(), Ct);
        var config = Config(new()
        {
            ["Kobbopay:Test:BaseAddress"] = sim.BaseAddress.ToString(),
            ["Kobbopay:Test:ApiKey"] = sim.TestApiKey,
            ["Kobbopay:Live:BaseAddress"] = sim.BaseAddress.ToString(),
            ["Kobbopay:Live:ApiKey"] = sim.LiveApiKey,
            ["Kobbopay:Live:Environment"] = "Production",
        });
        var services = new ServiceCollection();
        services.AddKobbopayClient("test", config.GetSection("Kobbopay:Test"));
        services.AddKobbopayClient("live", config.GetSection("Kobbopay:Live"));
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IKobbopayClientFactory>();

        var testPayment = await factory.CreateClient("test").CreatePaymentAsync(Request("t-1"), cancellationToken: Ct);
        var livePayment = await factory.CreateClient("live").CreatePaymentAsync(Request("l-1"), cancellationToken: Ct);

        sim.GetPayment(testPayment.Id).Environment.ShouldBe("test");
        sim.GetPayment(livePayment.Id).Environment.ShouldBe("live");
        var cross = await Should.ThrowAsync<KobbopayApiException>(factory.CreateClient("test").GetPaymentAsync(livePayment.Id, Ct));
        cross.ErrorCode.ShouldBe("environment_mismatch");
        Should.Throw<InvalidOperationException>(() => factory.CreateClient("staging")).Message.ShouldContain("staging");
    }

    private static Dictionary<string, string?> EnvironmentSettings(string environment) => new()
    {
        ["Kobbopay:BaseAddress"] = "https://api.example.com/",
        ["Kobbopay:ApiKey"] = "kp_test_abc",
        ["Kobbopay:Environment"] = environment,
    };

    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static KobbopaySimulatorOptions BothEnvironments()
    {
        var options = new KobbopaySimulatorOptions();
        var test = new SimulatorEnvironmentOptions { Name = "test" };
        test.ApiKeys.Add(KobbopaySimulatorOptions.DefaultTestApiKey);
        var live = new SimulatorEnvironmentOptions { Name = "live", IsProduction = true };
        live.ApiKeys.Add("kp_live_sim_1111111111111111111111111111");
        options.Environments.Add(test);
        options.Environments.Add(live);
        return options;
    }
}
