using System.Net;

namespace Kobbopay.Simulator.Tests;

public sealed class IdempotencyTests
{
    [Fact]
    public async Task SameKeySameBody_ReplaysTheFirstResponse()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var body = Payments.Body();

        var first = await sim.PostPaymentAsync(body, "key-1");
        var second = await sim.PostPaymentAsync(body, "key-1");

        first.ShouldBeFreshlyCreated();
        second.ShouldBeReplayOf(first);
        second.ShouldHaveRequestId();
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task SameKeySameBody_ReplaysTheFirstBodyEvenAfterThePaymentChanged()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var body = Payments.Body();
        var first = await sim.PostPaymentAsync(body, "key-1");
        sim.Pay(first.Json.Str("id")!);

        var second = await sim.PostPaymentAsync(body, "key-1");

        second.ShouldBeReplayOf(first);
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task SameKeySameBody_ReplaysTheCreatedBodyByteForByte_AfterThePaymentWasPaidAndConfirmed()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var body = Payments.Body(amount: "10.50", metadata: new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }, expiresInSeconds: 3600);
        var first = await sim.PostPaymentAsync(body, "key-1");
        var id = first.Json.Str("id")!;
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Pay(id, 3m, "0xpartial");
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Pay(id);
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Confirm(id, 20);
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Pay(id, 1m);

        var replay = await sim.PostPaymentAsync(body, "key-1");

        first.Status.ShouldBe(201, first.Body);
        replay.ShouldBeReplayOf(first);
        replay.Json.Str("status").ShouldBe("pending");
        replay.Json.Str("amountReceived").ShouldBeNull();
        replay.Json.Str("updatedAt").ShouldBe(first.Json.Str("createdAt"));
        (await sim.ReadPaymentAsync(id)).Str("status").ShouldBe("confirmed", "the payment itself moved on; only the replay is frozen");
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task SameKeySameBody_ReplaysTheCreatedBodyByteForByte_AfterThePaymentExpiredAndWasPaidLate()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var body = Payments.Body(expiresInSeconds: 60);
        var first = await sim.PostPaymentAsync(body, "key-1");
        sim.Clock.Advance(TimeSpan.FromMinutes(2));
        sim.Pay(first.Json.Str("id")!);

        var replay = await sim.PostPaymentAsync(body, "key-1");

        replay.ShouldBeReplayOf(first);
        sim.GetPayment(first.Json.Str("id")!).Status.ShouldBe("expired");
    }

    [Fact]
    public async Task SameKey_AmountWrittenWithFewerTrailingZeros_CountsAsTheSameBody()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var orderId = Payments.NewOrderId();

        var first = await sim.PostPaymentAsync(Payments.Body(amount: "10.50", orderId: orderId), "key-1");
        var second = await sim.PostPaymentAsync(Payments.Body(amount: "10.5", orderId: orderId), "key-1");

        first.Status.ShouldBe(201, first.Body);
        second.ShouldBeReplayOf(first);
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task SameKey_SameFieldsInAnotherOrderAndSpacing_CountsAsTheSameBody()
    {
        await using var sim = await SimulatorSession.StartAsync();
        const string body1 = """{"amount":"3.00","currency":"USDT","network":"example-network","orderId":"o-7","metadata":{"a":"1","b":"2"}}""";
        const string body2 = """{ "orderId" : "o-7", "metadata": {"b":"2","a":"1"}, "network":"example-network", "currency":"USDT", "amount":"3" }""";

        var first = await sim.PostPaymentAsync(body1, "key-1");
        var second = await sim.PostPaymentAsync(body2, "key-1");

        first.Status.ShouldBe(201, first.Body);
        second.ShouldBeReplayOf(first);
        sim.PaymentCount.ShouldBe(1);
    }

    /// <summary>The changed field and the changed body's JSON fields (each a valid create on its own).</summary>
    public static TheoryData<string, string> ChangedBodies => new()
    {
        { "amount", """{"amount":"10.51"}""" },
        { "orderId", """{"orderId":"another-order"}""" },
        { "currency", """{"currency":"USDC","network":"ethereum"}""" },
        { "metadata", """{"metadata":{"k":"changed"}}""" },
        { "expiresInSeconds", """{"expiresInSeconds":60}""" },
    };

    [Theory]
    [MemberData(nameof(ChangedBodies))]
    public async Task SameKeyDifferentBody_Returns422IdempotencyKeyReused(string field, string changes)
    {
        await using var sim = await SimulatorSession.StartAsync();
        var original = Payments.Body(orderId: "order-1", metadata: new Dictionary<string, string> { ["k"] = "v" });
        var changed = Payments.BodyObject(original);
        foreach (var (name, value) in System.Text.Json.Nodes.JsonNode.Parse(changes)!.AsObject())
        {
            changed[name] = value?.DeepClone();
        }

        var first = await sim.PostPaymentAsync(original, "key-1");
        var second = await sim.PostPaymentAsync(changed.ToJsonString(), "key-1");

        first.Status.ShouldBe(201, first.Body);
        System.Text.Json.Nodes.JsonNode.DeepEquals(changed, Payments.BodyObject(original)).ShouldBeFalse($"the {field} change changes the body");
        second.ShouldBeError(422, "idempotency_key_reused");
        second.Header(ApiAssert.ReplayedHeader).ShouldBeNull();
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task DifferentKeysSameBody_CreateTwoPayments()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var body = Payments.Body();

        var first = await sim.PostPaymentAsync(body, "key-1");
        var second = await sim.PostPaymentAsync(body, "key-2");

        second.ShouldBeFreshlyCreated();
        first.Json.Str("id").ShouldNotBe(second.Json.Str("id"));
        sim.PaymentCount.ShouldBe(2);
    }

    [Fact]
    public async Task SameKeyInAnotherEnvironment_DoesNotReplayThePaymentOfTheFirst()
    {
        await using var sim = await SimulatorSession.StartAsync(o =>
        {
            o.Environments.Add(new SimulatorEnvironmentOptions { Name = "test", ApiKeys = { "kp_test_a_1111111111111111" } });
            o.Environments.Add(new SimulatorEnvironmentOptions { Name = "staging", ApiKeys = { "kp_test_b_2222222222222222" } });
        });
        using var a = sim.CreateClient("kp_test_a_1111111111111111");
        using var b = sim.CreateClient("kp_test_b_2222222222222222");
        var body = Payments.Body();

        var first = await Payments.PostAsync(a, body, "shared-key");
        var second = await Payments.PostAsync(b, body, "shared-key");

        first.ShouldBeFreshlyCreated();
        second.ShouldBeFreshlyCreated();
        second.Json.Str("id").ShouldNotBe(first.Json.Str("id"));
        sim.PaymentCount.ShouldBe(2);
    }

    [Fact]
    public async Task FiftyConcurrentCreatesWithOneKey_MakeExactlyOnePayment()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var body = Payments.Body();

        // Open the connections first, so the creates leave together instead of queuing behind connects.
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => sim.GetAsync("v1/events?limit=1")));
        var requests = Enumerable.Range(0, 50)
            .Select(_ => HttpClientApiExtensions.CreateJsonRequest(HttpMethod.Post, Payments.Path, body, "one-key"))
            .ToList();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = requests.Select(request => Task.Run(
            async () =>
            {
                await gate.Task;
                return await sim.Api.SendApiAsync(request, Sim.Ct);
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
        created.Count(r => r.Header(ApiAssert.ReplayedHeader) is null).ShouldBe(1);
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            conflict.ShouldBeError(409, "idempotency_key_in_use");
        }

        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task KeyOfARequestThatFailedValidation_CanBeReusedWithAFixedBody()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var orderId = Payments.NewOrderId();

        var rejected = await sim.PostPaymentAsync(Payments.Body(amount: "-10.50", orderId: orderId), "key-1");
        var fixedUp = await sim.PostPaymentAsync(Payments.Body(amount: "10.50", orderId: orderId), "key-1");

        rejected.ShouldBeError(400, "invalid_request", "amount");
        fixedUp.ShouldBeFreshlyCreated();
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task KeyOfARequestRejectedWith422_CanBeReusedWithAFixedBody()
    {
        await using var sim = await SimulatorSession.StartAsync();

        var rejected = await sim.PostPaymentAsync(Payments.Body(amount: "1.0000001"), "key-1");
        var fixedUp = await sim.PostPaymentAsync(Payments.Body(amount: "1.000001"), "key-1");

        rejected.ShouldBeError(422, "amount_precision");
        fixedUp.Status.ShouldBe(201, fixedUp.Body);
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task Key_IsRememberedFor24Hours()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var body = Payments.Body();
        var first = await sim.PostPaymentAsync(body, "key-1");

        sim.Clock.Advance(TimeSpan.FromHours(23) + TimeSpan.FromMinutes(59));
        var replay = await sim.PostPaymentAsync(body, "key-1");

        replay.ShouldBeReplayOf(first);
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task Key_AfterTheRetention_CreatesANewPayment()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var body = Payments.Body();
        var first = await sim.PostPaymentAsync(body, "key-1");

        sim.Clock.Advance(TimeSpan.FromHours(25));
        var second = await sim.PostPaymentAsync(body, "key-1");

        second.ShouldBeFreshlyCreated();
        second.Json.Str("id").ShouldNotBe(first.Json.Str("id"));
        second.Json.Time("createdAt").ShouldBe(Sim.Start.AddHours(25));
        sim.PaymentCount.ShouldBe(2);
    }

    [Fact]
    public async Task Key_AfterTheRetention_AllowsADifferentBody()
    {
        await using var sim = await SimulatorSession.StartAsync();
        await sim.PostPaymentAsync(Payments.Body(amount: "1"), "key-1");

        sim.Clock.Advance(TimeSpan.FromHours(25));
        var second = await sim.PostPaymentAsync(Payments.Body(amount: "2"), "key-1");

        second.Status.ShouldBe(201, second.Body);
        sim.PaymentCount.ShouldBe(2);
    }

    [Fact]
    public async Task ReplayedCreate_DoesNotEmitASecondCreatedEvent()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var body = Payments.Body();
        var first = await sim.PostPaymentAsync(body, "key-1");
        await sim.PostPaymentAsync(body, "key-1");

        var events = await sim.EventsOfAsync(first.Json.Str("id")!);

        events.Select(e => e.Str("type")).ShouldBe(["payment.created"]);
    }
}
