using Kobbopay.Simulator.Scenarios;

namespace Kobbopay.Simulator.Tests.Scenarios;

/// <summary>ScenarioRunner: the shipped scenarios pass in process and over HTTP; a wrong expectation fails naming its step.</summary>
public sealed class ScenarioRunnerTests
{
    public static TheoryData<string> Shipped => [.. Scenario.ShippedNames];

    [Fact]
    public void TheShippedScenarios_AreTheSeedsAwkwardCases()
    {
        Scenario.ShippedNames.ShouldBe(["01-paid-then-confirmed.json", "02-partial-then-full.json", "03-expired.json", "04-overpaid.json", "05-paid-after-expiry.json"]);
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public async Task AShippedScenario_PassesInProcess(string name)
    {
        await using KobbopaySimulator sim = await Sim.StartAsync();

        ScenarioResult result = await new ScenarioRunner(sim).RunAsync(Scenario.LoadShipped(name), Sim.Ct);

        result.Steps.Where(s => s.Outcome != ScenarioStepOutcome.Passed).Select(s => s.Message).ShouldBeEmpty();
        result.Passed.ShouldBeTrue();
        result.Steps.Count(s => s.Step is ExpectDeliveryStep).ShouldBeGreaterThan(0);
        sim.WebhookEndpoints.ShouldBeEmpty("the run removes the endpoints it registered");
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public async Task AShippedScenario_PassesOverHttp_WithTheAdminToken(string name)
    {
        KobbopaySimulatorOptions options = Sim.Options();
        options.AdminToken = "scenario-admin-token";
        await using KobbopaySimulator sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);

        ScenarioResult result = await new ScenarioRunner(sim.BaseAddress, new ScenarioRunnerOptions { AdminToken = "scenario-admin-token" }).RunAsync(Scenario.LoadShipped(name), Sim.Ct);

        result.Steps.Where(s => s.Outcome != ScenarioStepOutcome.Passed).Select(s => s.Message).ShouldBeEmpty();
        result.Passed.ShouldBeTrue();
        sim.Deliveries.ShouldNotBeEmpty();
        sim.Deliveries.SelectMany(d => d.Attempts).ShouldAllBe(a => a.StatusCode == 200);
        sim.WebhookEndpoints.ShouldBeEmpty("the run removes the endpoints it registered");
    }

    [Fact]
    public async Task AWrongStatus_FailsItsStep_SayingExpectedAndActual_AndSkipsTheRest()
    {
        await using KobbopaySimulator sim = await Sim.StartAsync();
        Scenario scenario = Scenario.Parse(
            ScenarioFiles.OnePayment("""
                { "step": "pay", "payment": "p" },
                { "step": "expectStatus", "payment": "p", "status": "confirmed" },
                { "step": "confirm", "payment": "p" }
                """),
            "wrong.json");

        ScenarioResult result = await new ScenarioRunner(sim).RunAsync(scenario, Sim.Ct);

        result.Passed.ShouldBeFalse();
        result.Steps.Select(s => s.Outcome).ShouldBe([ScenarioStepOutcome.Passed, ScenarioStepOutcome.Passed, ScenarioStepOutcome.Failed, ScenarioStepOutcome.Skipped]);
        result.Steps[2].Message.ShouldBe("step 3 (expectStatus p): expected confirmed, was paid");
        sim.GetPayment(sim.Deliveries[0].PaymentId).Status.ShouldBe("paid", "the skipped confirm did not run");
    }

    [Theory]
    [InlineData(
        """
        { "step": "payPart", "payment": "p", "amount": "4.00" },
        { "step": "expectStatus", "payment": "p", "status": "pending", "amountReceived": "5.00" }
        """,
        200,
        "step 3 (expectStatus p): expected amountReceived 5.00, was 4.00")]
    [InlineData(
        """
        { "step": "expire", "payment": "p" },
        { "step": "expectDelivery", "payment": "p", "event": "payment.expired", "endpoint": "merchant", "status": 500 },
        { "step": "expectDelivery", "payment": "p", "event": "payment.expired", "endpoint": "merchant", "status": 200 }
        """,
        500,
        "step 4 (expectDelivery p): expected payment.expired delivered to merchant and answered 200, was answered 500")]
    [InlineData(
        """{ "step": "expectDelivery", "payment": "p", "event": "payment.paid", "endpoint": "merchant", "status": 200 }""",
        200,
        "step 2 (expectDelivery p): expected payment.paid delivered to merchant and answered 200, was no payment.paid delivery to merchant (it was sent: payment.created)")]
    public async Task AFailedExpectation_SaysWhatWasExpectedAndWhatWasFound(string steps, int respond, string message)
    {
        await using KobbopaySimulator sim = await Sim.StartAsync();

        ScenarioResult result = await new ScenarioRunner(sim).RunAsync(Scenario.Parse(ScenarioFiles.OnePayment(steps, respond), "failing.json"), Sim.Ct);

        result.Steps.Single(s => s.Outcome == ScenarioStepOutcome.Failed).Message.ShouldBe(message);
        result.Steps[^1].Outcome.ShouldBe(ScenarioStepOutcome.Failed, "the last step is the one failing; every earlier one passed");
    }

    [Fact]
    public async Task ARefusedAction_FailsWithTheSimulatorsReason()
    {
        await using KobbopaySimulator sim = await Sim.StartAsync();
        Scenario scenario = Scenario.Parse(ScenarioFiles.OnePayment("""{ "step": "confirm", "payment": "p" }"""), "refused.json");

        ScenarioResult result = await new ScenarioRunner(sim.BaseAddress).RunAsync(scenario, Sim.Ct);

        result.Steps[1].Message.ShouldStartWith("step 2 (confirm p): the simulator refused: 409 invalid_transition: ");
    }

    [Fact]
    public void Options_AreValidated_NamingTheSetting()
    {
        ArgumentException ex = Should.Throw<ArgumentException>(() => new ScenarioRunner(new Uri("http://127.0.0.1:1/"), new ScenarioRunnerOptions { DeliveryTimeout = TimeSpan.Zero }));

        ex.ParamName.ShouldBe("DeliveryTimeout");
    }
}
