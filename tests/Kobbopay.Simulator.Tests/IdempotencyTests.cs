using System.Net;
using Kobbopay.Simulator.Tests.TestSupport;
using Kobbopay.TestUtilities;

namespace Kobbopay.Simulator.Tests;

public sealed class IdempotencyTests
{
    private const string ReplayedHeader = "Idempotent-Replayed";

    [Fact]
    public async Task SameKeySameBody_ReplaysTheFirstResponse()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var body = Payments.Body();

        var first = await Payments.PostAsync(client, body, "key-1");
        var second = await Payments.PostAsync(client, body, "key-1");

        first.Status.ShouldBe(201, first.Body);
        first.Header(ReplayedHeader).ShouldBeNull();
        second.Status.ShouldBe(201, second.Body);
        second.Body.ShouldBe(first.Body);
        second.Header(ReplayedHeader).ShouldBe("true");
        second.ShouldHaveRequestId();
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task SameKeySameBody_ReplaysTheFirstBodyEvenAfterThePaymentChanged()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var body = Payments.Body();
        var first = await Payments.PostAsync(client, body, "key-1");
        sim.Pay(first.Json.Str("id")!);

        var second = await Payments.PostAsync(client, body, "key-1");

        second.Status.ShouldBe(201, second.Body);
        second.Body.ShouldBe(first.Body);
        second.Header(ReplayedHeader).ShouldBe("true");
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task SameKeySameBody_ReplaysTheCreatedBodyByteForByte_AfterThePaymentWasPaidAndConfirmed()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var body = Payments.Body(amount: "10.50", metadata: new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }, expiresInSeconds: 3600);
        var first = await Payments.PostAsync(client, body, "key-1");
        var id = first.Json.Str("id")!;
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Pay(id, 3m, "0xpartial");
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Pay(id);
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Confirm(id, 20);
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Pay(id, 1m);

        var replay = await Payments.PostAsync(client, body, "key-1");

        first.Status.ShouldBe(201, first.Body);
        replay.Status.ShouldBe(201, replay.Body);
        replay.Header(ReplayedHeader).ShouldBe("true");
        replay.Body.ShouldBe(first.Body);
        replay.Json.Str("status").ShouldBe("pending");
        replay.Json.Str("amountReceived").ShouldBeNull();
        replay.Json.Str("updatedAt").ShouldBe(first.Json.Str("createdAt"));
        (await Payments.GetAsync(client, id)).Str("status").ShouldBe("confirmed", "the payment itself moved on; only the replay is frozen");
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task SameKeySameBody_ReplaysTheCreatedBodyByteForByte_AfterThePaymentExpiredAndWasPaidLate()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var body = Payments.Body(expiresInSeconds: 60);
        var first = await Payments.PostAsync(client, body, "key-1");
        sim.Clock.Advance(TimeSpan.FromMinutes(2));
        sim.Pay(first.Json.Str("id")!);

        var replay = await Payments.PostAsync(client, body, "key-1");

        replay.Status.ShouldBe(201, replay.Body);
        replay.Header(ReplayedHeader).ShouldBe("true");
        replay.Body.ShouldBe(first.Body);
        sim.GetPayment(first.Json.Str("id")!).Status.ShouldBe("expired");
    }

    [Fact]
    public async Task SameKey_AmountWrittenWithFewerTrailingZeros_CountsAsTheSameBody()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var orderId = Payments.NewOrderId();

        var first = await Payments.PostAsync(client, Payments.Body(amount: "10.50", orderId: orderId), "key-1");
        var second = await Payments.PostAsync(client, Payments.Body(amount: "10.5", orderId: orderId), "key-1");

        first.Status.ShouldBe(201, first.Body);
        second.Status.ShouldBe(201, second.Body);
        second.Header(ReplayedHeader).ShouldBe("true");
        second.Body.ShouldBe(first.Body);
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task SameKey_SameFieldsInAnotherOrderAndSpacing_CountsAsTheSameBody()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        const string body1 = """{"amount":"3.00","currency":"USDT","network":"example-network","orderId":"o-7","metadata":{"a":"1","b":"2"}}""";
        const string body2 = """{ "orderId" : "o-7", "metadata": {"b":"2","a":"1"}, "network":"example-network", "currency":"USDT", "amount":"3" }""";

        var first = await Payments.PostAsync(client, body1, "key-1");
        var second = await Payments.PostAsync(client, body2, "key-1");

        first.Status.ShouldBe(201, first.Body);
        second.Status.ShouldBe(201, second.Body);
        second.Header(ReplayedHeader).ShouldBe("true");
        sim.PaymentCount.ShouldBe(1);
    }

    [Theory]
    [InlineData("amount", "10.51")]
    [InlineData("orderId", "another-order")]
    [InlineData("currency", "USDC")]
    [InlineData("metadata", "changed")]
    [InlineData("expiresInSeconds", "60")]
    public async Task SameKeyDifferentBody_Returns422IdempotencyKeyReused(string field, string value)
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var original = Payments.BodyObject(orderId: "order-1", metadata: new Dictionary<string, string> { ["k"] = "v" });
        var changed = Payments.BodyObject(orderId: "order-1", metadata: new Dictionary<string, string> { ["k"] = "v" });
        switch (field)
        {
            case "currency":
                changed["currency"] = value;
                changed["network"] = "ethereum";
                break;
            case "metadata":
                changed["metadata"] = new System.Text.Json.Nodes.JsonObject { ["k"] = value };
                break;
            case "expiresInSeconds":
                changed["expiresInSeconds"] = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            default:
                changed[field] = value;
                break;
        }

        var first = await Payments.PostAsync(client, original.ToJsonString(), "key-1");
        var second = await Payments.PostAsync(client, changed.ToJsonString(), "key-1");

        first.Status.ShouldBe(201, first.Body);
        second.ShouldBeError(422, "idempotency_key_reused");
        second.Header(ReplayedHeader).ShouldBeNull();
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task DifferentKeysSameBody_CreateTwoPayments()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var body = Payments.Body();

        var first = await Payments.PostAsync(client, body, "key-1");
        var second = await Payments.PostAsync(client, body, "key-2");

        first.Json.Str("id").ShouldNotBe(second.Json.Str("id"));
        second.Header(ReplayedHeader).ShouldBeNull();
        sim.PaymentCount.ShouldBe(2);
    }

    [Fact]
    public async Task SameKeyInAnotherEnvironment_DoesNotReplayThePaymentOfTheFirst()
    {
        var options = Sim.Options();
        options.Environments.Add(new SimulatorEnvironmentOptions { Name = "test", ApiKeys = { "kp_test_a_1111111111111111" } });
        options.Environments.Add(new SimulatorEnvironmentOptions { Name = "staging", ApiKeys = { "kp_test_b_2222222222222222" } });
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        using var a = SimulatorHttp.CreateClient(sim.BaseAddress, "kp_test_a_1111111111111111");
        using var b = SimulatorHttp.CreateClient(sim.BaseAddress, "kp_test_b_2222222222222222");
        var body = Payments.Body();

        var first = await Payments.PostAsync(a, body, "shared-key");
        var second = await Payments.PostAsync(b, body, "shared-key");

        first.Status.ShouldBe(201, first.Body);
        second.Status.ShouldBe(201, second.Body);
        second.Json.Str("id").ShouldNotBe(first.Json.Str("id"));
        sim.PaymentCount.ShouldBe(2);
    }

    [Fact]
    public async Task FiftyConcurrentCreatesWithOneKey_MakeExactlyOnePayment()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var body = Payments.Body();

        // Open the connections first, so the creates leave together instead of queuing behind connects.
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.GetApiAsync("v1/events?limit=1", Sim.Ct)));
        var requests = Enumerable.Range(0, 50)
            .Select(_ => HttpClientApiExtensions.CreateJsonRequest(HttpMethod.Post, Payments.Path, body, "one-key"))
            .ToList();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = requests.Select(request => Task.Run(
            async () =>
            {
                await gate.Task;
                return await client.SendApiAsync(request, Sim.Ct);
            },
            Sim.Ct)).ToList();

        gate.SetResult();
        var responses = await Task.WhenAll(tasks);

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", responses.GroupBy(r => r.Status).Select(g => $"{g.Key}: {g.Count()}")));
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.Conflict);
        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        created.ShouldNotBeEmpty();
        created.Select(r => r.Json.Str("id")).Distinct().Count().ShouldBe(1);
        created.Select(r => r.Body).Distinct().Count().ShouldBe(1);
        created.Count(r => r.Header(ReplayedHeader) is null).ShouldBe(1);
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            conflict.ShouldBeError(409, "idempotency_key_in_use");
        }

        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task KeyOfARequestThatFailedValidation_CanBeReusedWithAFixedBody()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var orderId = Payments.NewOrderId();

        var rejected = await Payments.PostAsync(client, Payments.Body(amount: "-10.50", orderId: orderId), "key-1");
        var fixedUp = await Payments.PostAsync(client, Payments.Body(amount: "10.50", orderId: orderId), "key-1");

        rejected.ShouldBeError(400, "invalid_request", "amount");
        fixedUp.Status.ShouldBe(201, fixedUp.Body);
        fixedUp.Header(ReplayedHeader).ShouldBeNull();
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task KeyOfARequestRejectedWith422_CanBeReusedWithAFixedBody()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();

        var rejected = await Payments.PostAsync(client, Payments.Body(amount: "1.0000001"), "key-1");
        var fixedUp = await Payments.PostAsync(client, Payments.Body(amount: "1.000001"), "key-1");

        rejected.ShouldBeError(422, "amount_precision");
        fixedUp.Status.ShouldBe(201, fixedUp.Body);
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task Key_IsRememberedFor24Hours()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var body = Payments.Body();
        var first = await Payments.PostAsync(client, body, "key-1");

        sim.Clock.Advance(TimeSpan.FromHours(23) + TimeSpan.FromMinutes(59));
        var replay = await Payments.PostAsync(client, body, "key-1");

        replay.Status.ShouldBe(201, replay.Body);
        replay.Header(ReplayedHeader).ShouldBe("true");
        replay.Body.ShouldBe(first.Body);
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task Key_AfterTheRetention_CreatesANewPayment()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var body = Payments.Body();
        var first = await Payments.PostAsync(client, body, "key-1");

        sim.Clock.Advance(TimeSpan.FromHours(25));
        var second = await Payments.PostAsync(client, body, "key-1");

        second.Status.ShouldBe(201, second.Body);
        second.Header(ReplayedHeader).ShouldBeNull();
        second.Json.Str("id").ShouldNotBe(first.Json.Str("id"));
        second.Json.Time("createdAt").ShouldBe(Sim.Start.AddHours(25));
        sim.PaymentCount.ShouldBe(2);
    }

    [Fact]
    public async Task Key_AfterTheRetention_AllowsADifferentBody()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        await Payments.PostAsync(client, Payments.Body(amount: "1"), "key-1");

        sim.Clock.Advance(TimeSpan.FromHours(25));
        var second = await Payments.PostAsync(client, Payments.Body(amount: "2"), "key-1");

        second.Status.ShouldBe(201, second.Body);
        sim.PaymentCount.ShouldBe(2);
    }

    [Fact]
    public async Task ReplayedCreate_DoesNotEmitASecondCreatedEvent()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var body = Payments.Body();
        var first = await Payments.PostAsync(client, body, "key-1");
        await Payments.PostAsync(client, body, "key-1");

        var events = await Payments.EventsOfAsync(client, first.Json.Str("id")!);

        events.Select(e => e.Str("type")).ShouldBe(["payment.created"]);
    }
}
