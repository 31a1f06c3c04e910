namespace Kobbopay.Simulator.Tests;

/// <summary>
/// A webhook endpoint takes the events of one environment by its name (<c>test</c> unless configured), or of every
/// environment: a name the simulator does not host would never receive an event, so it is refused, naming the field
/// and the names it hosts.
/// </summary>
public sealed class WebhookEndpointEnvironmentTests
{
    [Theory]
    [InlineData("test", 201)]
    [InlineData("TEST", 201)]
    [InlineData("non-production", 400)]
    [InlineData("NonProduction", 400)]
    public async Task PostWebhookEndpoint_TakesAHostedEnvironmentName_AndRefusesAnotherNamingIt(string environment, int status)
    {
        await using var sim = await SimulatorSession.StartAsync();

        var response = await sim.ControlPostAsync("_sim/webhook-endpoints", $$"""{"url":"http://127.0.0.1:9/hook","environment":"{{environment}}"}""");

        response.Status.ShouldBe(status, response.Body);
        if (status == 201)
        {
            response.Json.Str("environment").ShouldBe(environment);
            return;
        }

        var error = response.ShouldBeError(400, "invalid_request", "environment");
        error.Str("message").ShouldBe($"environment must be one of test (the name of a hosted environment), or left out for every environment; it is '{environment}'.");
        (await sim.ControlGetAsync("_sim/webhook-endpoints")).Json.Items("data").ShouldBeEmpty();
    }

    [Fact]
    public async Task AConfiguredEndpoint_NamingNoHostedEnvironment_StopsTheStartNamingTheSetting()
    {
        var options = Sim.Options();
        options.WebhookEndpoints.Add(new SimulatorWebhookEndpointOptions { Url = new Uri("http://127.0.0.1:9/hook"), Environment = "non-production" });

        var refused = await Should.ThrowAsync<ArgumentException>(() => KobbopaySimulator.StartAsync(options, Sim.Ct));

        refused.Message.ShouldBe("Invalid simulator options: WebhookEndpoints[0].Environment must be one of test (the name of a hosted environment), or left out for every environment; it is 'non-production'.");
    }
}
