using Kobbopay.Simulator.Scenarios;

namespace Kobbopay.Simulator.Tests.Scenarios;

/// <summary>Scenario.Parse: every step kind reads into its model; errors name the file, the line, the step and the field.</summary>
public sealed class ScenarioParserTests
{
    [Fact]
    public void EveryStepKind_ReadsIntoItsModel_WithItsLine()
    {
        Scenario scenario = Scenario.Parse(
            """
            {
              "name": "all kinds",
              "description": "every step once",
              "endpoints": { "merchant": { "respond": 200 }, "mine": { "url": "http://127.0.0.1:5000/webhook/kobbopay" } },
              "steps": [
                { "step": "create", "as": "p", "amount": "10.50", "currency": "USDT", "network": "example-network", "orderId": "o-1", "expiresInSeconds": 600 },
                { "step": "pay", "payment": "p" },
                { "step": "pay", "payment": "p", "amount": "1.25" },
                { "step": "payPart", "payment": "p", "amount": "0.75" },
                { "step": "advanceClock", "seconds": 30 },
                { "step": "confirm", "payment": "p" },
                { "step": "expire", "payment": "p" },
                { "step": "expectStatus", "payment": "p", "status": "paid", "amountReceived": "12.00" },
                { "step": "expectDelivery", "payment": "p", "event": "payment.paid", "endpoint": "mine", "status": 204 }
              ]
            }
            """,
            "all.json");

        scenario.Name.ShouldBe("all kinds");
        scenario.Source.ShouldBe("all.json");
        scenario.Endpoints["merchant"].Respond.ShouldBe(200);
        scenario.Endpoints["mine"].Url.ShouldBe(new Uri("http://127.0.0.1:5000/webhook/kobbopay"));
        scenario.Steps.Select(s => s.Kind).ShouldBe(["create", "pay", "pay", "payPart", "advanceClock", "confirm", "expire", "expectStatus", "expectDelivery"]);
        scenario.Steps.Select(s => s.Line).ShouldBe([6, 7, 8, 9, 10, 11, 12, 13, 14]);
        CreatePaymentStep create = scenario.Steps[0].ShouldBeOfType<CreatePaymentStep>();
        (create.As, create.Amount, create.Currency, create.Network, create.OrderId, create.ExpiresInSeconds).ShouldBe(("p", 10.50m, "USDT", "example-network", "o-1", (int?)600));
        scenario.Steps[1].ShouldBeOfType<PayStep>().Amount.ShouldBeNull();
        scenario.Steps[2].ShouldBeOfType<PayStep>().Amount.ShouldBe(1.25m);
        scenario.Steps[3].ShouldBeOfType<PayPartStep>().Amount.ShouldBe(0.75m);
        scenario.Steps[4].ShouldBeOfType<AdvanceClockStep>().Seconds.ShouldBe(30);
        ExpectStatusStep status = scenario.Steps[7].ShouldBeOfType<ExpectStatusStep>();
        (status.Payment, status.Status, status.AmountReceived).ShouldBe(("p", "paid", (decimal?)12.00m));
        ExpectDeliveryStep delivery = scenario.Steps[8].ShouldBeOfType<ExpectDeliveryStep>();
        (delivery.Payment, delivery.Event, delivery.Endpoint, delivery.Status).ShouldBe(("p", "payment.paid", "mine", 204));
        delivery.ToString().ShouldBe("expectDelivery p");
    }

    [Theory]
    [InlineData("""{ "step": "payy", "payment": "p" }""", 2, "step", "bad.json:4: step 2: unknown step kind 'payy'; the kinds are create, pay, payPart, advanceClock, confirm, expire, expectStatus, expectDelivery")]
    [InlineData("""{ "step": "pay", "payment": "p", "amout": "1.00" }""", 2, "amout", "bad.json:4: step 2: unknown field 'amout'")]
    [InlineData("""{ "step": "pay", "payment": "p", "amount": 1.00 }""", 2, "amount", "bad.json:4: step 2: amount: must be a decimal string such as \"10.00\"")]
    [InlineData("""{ "step": "pay", "payment": "p", "seconds": 5 }""", 2, "seconds", "bad.json:4: step 2 (pay): field 'seconds' does not apply to pay, which takes payment, amount")]
    [InlineData("""{ "step": "payPart", "payment": "p" }""", 2, "amount", "bad.json:4: step 2 (payPart): amount is required; payPart takes payment, amount")]
    [InlineData("""{ "step": "pay", "payment": "q" }""", 2, "payment", "bad.json:4: step 2 (pay): payment 'q' is not created by an earlier step")]
    [InlineData("""{ "payment": "p" }""", 2, "step", "bad.json:4: step 2: step: required; one of create, pay")]
    [InlineData("""{ "step": "pay", "payment": "p", "amount": "-1" }""", 2, "amount", "bad.json:4: step 2 (pay): amount must be a decimal string greater than zero, such as \"10.00\"; '-1' is not")]
    [InlineData("""{ "step": "expectStatus", "payment": "p", "status": 200 }""", 2, "status", "bad.json:4: step 2 (expectStatus): status must be a payment status string")]
    [InlineData("""{ "step": "expectDelivery", "payment": "p", "event": "payment.paid", "endpoint": "merchant", "status": "ok" }""", 2, "status", "bad.json:4: step 2 (expectDelivery): status must be the HTTP status number")]
    [InlineData("""{ "step": "expectDelivery", "payment": "p", "event": "payment.paid", "endpoint": "elsewhere", "status": 200 }""", 2, "endpoint", "bad.json:4: step 2 (expectDelivery): endpoint 'elsewhere' is not declared under endpoints (merchant)")]
    [InlineData("""{ "step": "create", "as": "p", "amount": "1.00", "currency": "USDT", "network": "example-network", "orderId": "o-2" }""", 2, "as", "bad.json:4: step 2 (create): as must be a name no earlier step gave; 'p' is taken")]
    public void ABadStep_IsRejected_NamingTheFileLineStepAndField(string step, int number, string field, string message)
    {
        string json = $$"""
            { "endpoints": { "merchant": { "respond": 200 } }, "steps": [
              { "step": "create", "as": "p", "amount": "10.00", "currency": "USDT", "network": "example-network", "orderId": "o-1" },

              {{step}}
            ] }
            """;

        ScenarioFormatException ex = Should.Throw<ScenarioFormatException>(() => Scenario.Parse(json, "bad.json"));

        ex.Message.ShouldStartWith(message);
        ex.ScenarioSource.ShouldBe("bad.json");
        ex.StepNumber.ShouldBe(number);
        ex.Field.ShouldBe(field);
        ex.LineNumber.ShouldBe(4);
    }

    [Theory]
    [InlineData("""{ "steps": [] }""", "bad.json: steps: a scenario needs at least one step.")]
    [InlineData("""{ "nam": "x", "steps": [] }""", "bad.json:1: unknown field 'nam'; a scenario takes name, description, endpoints, steps")]
    [InlineData("""{ "steps": [ { "step": "advanceClock", "seconds": 1 } ], "endpoints": { "m": { "respond": 200, "url": "http://127.0.0.1:1/" } } }""", "bad.json: endpoints.m: give exactly one of url")]
    [InlineData("""{ "steps": [ { "step": "advanceClock", "seconds": 1 } ], "endpoints": { "m": { "respond": 1000 } } }""", "bad.json: endpoints.m.respond: 1000 is not an HTTP status")]
    [InlineData("{ \"steps\": [\n  { \"step\": \"pay\" \n", "bad.json:3: not valid JSON: ")]
    public void ABadScenario_IsRejected_NamingWhatIsWrong(string json, string message)
    {
        ScenarioFormatException ex = Should.Throw<ScenarioFormatException>(() => Scenario.Parse(json, "bad.json"));

        ex.Message.ShouldStartWith(message);
    }

    [Fact]
    public async Task AFileThatCannotBeRead_IsAFormatErrorNamingIt()
    {
        string path = Path.Combine(Path.GetTempPath(), $"kobbopay-missing-{Guid.NewGuid():N}.json");

        ScenarioFormatException ex = await Should.ThrowAsync<ScenarioFormatException>(() => Scenario.LoadAsync(path, Sim.Ct));

        ex.Message.ShouldStartWith($"{path}: cannot be read: ");
    }

    [Fact]
    public void AShippedScenario_IsReadByName_AndAnUnknownNameListsTheShippedOnes()
    {
        Scenario.LoadShipped("03-expired.json").Source.ShouldBe("shipped:03-expired.json");
        Scenario.ReadShippedText("03-expired.json").ShouldContain("\"advanceClock\"");

        Should.Throw<ArgumentException>(() => Scenario.LoadShipped("nope.json")).Message.ShouldContain("01-paid-then-confirmed.json");
    }
}
