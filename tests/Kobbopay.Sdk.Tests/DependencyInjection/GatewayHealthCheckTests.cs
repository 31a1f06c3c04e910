using System.Net;
using System.Net.Sockets;
using Kobbopay.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static Kobbopay.Sdk.Tests.TestSupport.ClientFixture;

namespace Kobbopay.Sdk.Tests.DependencyInjection;

/// <summary>The <c>kobbopay-gateway</c> health check that <c>AddKobbopayClient</c> registers for the default client, against the simulator.</summary>
public sealed class GatewayHealthCheckTests
{
    /// <summary>A key of the right environment that the simulator does not know.</summary>
    private const string WrongKey = "kp_test_wrong_key_0123456789abcdef";

    private static async Task<HealthCheckResult> CheckAsync(Uri baseAddress, string apiKey, HealthStatus failureStatus = HealthStatus.Unhealthy)
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kobbopay:BaseAddress"] = baseAddress.ToString(),
            ["Kobbopay:ApiKey"] = apiKey,
            ["Kobbopay:Resilience:MaxRetryAttempts"] = "0",
        }).Build();
        ServiceCollection services = new();
        services.AddKobbopayClient(config.GetSection("Kobbopay"));
        await using ServiceProvider provider = services.BuildServiceProvider();
        IHealthCheck check = provider.GetRequiredKeyedService<IHealthCheck>(KobbopayHealthCheckNames.Gateway);
        HealthCheckContext context = new() { Registration = new HealthCheckRegistration(KobbopayHealthCheckNames.Gateway, check, failureStatus, tags: null) };
        return await check.CheckHealthAsync(context, Ct);
    }

    [Fact]
    public async Task WithTheConfiguredKey_TheGatewayIsHealthy()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);

        HealthCheckResult result = await CheckAsync(sim.BaseAddress, sim.TestApiKey);

        result.Status.ShouldBe(HealthStatus.Healthy);
        result.Description.ShouldBe("The gateway answered an authenticated call with the configured API key.");
    }

    [Fact]
    public async Task AKeyTheGatewayRefuses_IsUnhealthy_NamingTheSetting_NeverTheKey()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);

        HealthCheckResult result = await CheckAsync(sim.BaseAddress, WrongKey);

        result.Status.ShouldBe(HealthStatus.Unhealthy);
        result.Description.ShouldBe("The gateway refused the configured API key (401 invalid_api_key); check Kobbopay:ApiKey and Kobbopay:Environment.");
        result.Exception.ShouldBeNull();
    }

    [Fact]
    public async Task AGatewayNobodyAnswersFor_IsUnhealthy_AndTheFailureStatusOfTheRegistrationIsUsed()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        HealthCheckResult result = await CheckAsync(new Uri($"http://127.0.0.1:{port}/"), WrongKey, HealthStatus.Degraded);

        result.Status.ShouldBe(HealthStatus.Degraded);
        result.Description.ShouldBe("The gateway cannot be reached (KobbopayNetworkException); check Kobbopay:BaseAddress and the network.");
        result.Exception.ShouldBeOfType<KobbopayNetworkException>().ToString().ShouldNotContain(WrongKey);
    }

    [Fact]
    public async Task OnlyTheDefaultClient_RegistersTheCheck()
    {
        ServiceCollection services = new();
        services.AddKobbopayClient("live", o =>
        {
            o.BaseAddress = new Uri("https://api.example.com/");
            o.ApiKey = WrongKey;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetKeyedService<IHealthCheck>(KobbopayHealthCheckNames.Gateway).ShouldBeNull();
    }
}
