using Kobbopay.Sdk.Tests.TestSupport;
using Kobbopay.Simulator;
using static Kobbopay.Sdk.Tests.TestSupport.ClientFixture;

namespace Kobbopay.Sdk.Tests.Client;

/// <summary>Every error of the contract reaches the caller as the documented exception, with status, code, param and request id.</summary>
public sealed class ContractErrorTests
{
    [Fact]
    public async Task InvalidRequest_IsAnApiExceptionNamingTheParam()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim);

        var ex = await Should.ThrowAsync<KobbopayApiException>(client.CreatePaymentAsync(Request(new string('x', 100), currency: "U$DT"), cancellationToken: Ct));

        ex.StatusCode.ShouldBe(400);
        ex.ErrorCode.ShouldBe("invalid_request");
        ex.Param.ShouldBe("currency");
        ex.RequestId.ShouldNotBeNull().ShouldStartWith("req_");
        ex.Message.ShouldContain(ex.RequestId);
        sim.Requests.Count(r => r.Path == "/v1/payments").ShouldBe(1, "a 400 is not retried");
    }

    [Fact]
    public async Task InvalidApiKey_Is401()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim, o => o.ApiKey = "kp_test_not_the_right_key");

        var ex = await Should.ThrowAsync<KobbopayApiException>(client.GetPaymentAsync("pay_x", Ct));

        (ex.StatusCode, ex.ErrorCode).ShouldBe((401, "invalid_api_key"));
        ex.Message.ShouldNotContain("kp_test_not_the_right_key");
    }

    [Fact]
    public async Task EnvironmentMismatch_Is403()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim, o =>
        {
            o.Environment = KobbopayEnvironment.Production;
            o.ApiKey = "kp_live_somebody_elses";
        });

        var ex = await Should.ThrowAsync<KobbopayApiException>(client.GetPaymentAsync("pay_x", Ct));

        (ex.StatusCode, ex.ErrorCode).ShouldBe((403, "environment_mismatch"));
    }

    [Fact]
    public async Task PaymentNotFound_Is404()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim);

        var ex = await Should.ThrowAsync<KobbopayApiException>(client.GetPaymentAsync("pay_missing", Ct));

        (ex.StatusCode, ex.ErrorCode, ex.Param).ShouldBe((404, "payment_not_found", "id"));
        sim.Requests.Count.ShouldBe(1, "a 404 is not retried");
    }

    [Fact]
    public async Task IdempotencyKeyInUse_IsRetriedUntilTheFirstCallCompletes()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim, o => o.Resilience.MaxRetryAttempts = 20);
        string key = KobbopayIdempotencyKey.FromOrderId("order-1");

        var payments = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.CreatePaymentAsync(Request("order-1"), key, Ct)));

        payments.Select(p => p.Id).Distinct().ShouldHaveSingleItem();
        sim.PaymentCount.ShouldBe(1);
        sim.Requests.Where(r => r.Path == "/v1/payments").ShouldAllBe(r => r.StatusCode == 201 || r.StatusCode == 409);
    }

    [Fact]
    public async Task IdempotencyKeyReused_Is422AndNotRetried()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim);
        await client.CreatePaymentAsync(Request("order-1"), "key-1", Ct);

        var ex = await Should.ThrowAsync<KobbopayApiException>(client.CreatePaymentAsync(Request("order-2"), "key-1", Ct));

        (ex.StatusCode, ex.ErrorCode).ShouldBe((422, "idempotency_key_reused"));
        sim.Requests.Count(r => r.Path == "/v1/payments").ShouldBe(2);
    }

    [Fact]
    public async Task UnsupportedRail_Is422FromTheGatewayWhenTheClientKnowsNoRails()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim);

        var ex = await Should.ThrowAsync<KobbopayApiException>(client.CreatePaymentAsync(Request("o", currency: "DOGE", network: "dogechain"), cancellationToken: Ct));

        (ex.StatusCode, ex.ErrorCode).ShouldBe((422, "unsupported_rail"));
    }

    [Fact]
    public async Task UnsupportedRail_FailsBeforeSendingWhenTheClientKnowsItsRails()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim, o =>
        {
            o.EnabledRails.Add(new KobbopayRail("example-network", "USDT", 6));
        });

        var rail = await Should.ThrowAsync<KobbopayUnsupportedRailException>(client.CreatePaymentAsync(Request("o", currency: "BTC", network: "bitcoin"), cancellationToken: Ct));
        var precision = await Should.ThrowAsync<KobbopayUnsupportedRailException>(client.CreatePaymentAsync(Request("o", amount: 1.0000001m), cancellationToken: Ct));
        var ok = await client.CreatePaymentAsync(Request("o", amount: 1.000001m, currency: "usdt"), cancellationToken: Ct);

        rail.Network.ShouldBe("bitcoin");
        precision.Message.ShouldContain("6 decimals");
        ok.Currency.ShouldBe("USDT");
        sim.Requests.Count.ShouldBe(1, "only the valid create was sent");
    }

    [Fact]
    public async Task AmountPrecision_Is422FromTheGateway()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim);

        var ex = await Should.ThrowAsync<KobbopayApiException>(client.CreatePaymentAsync(Request("o", amount: 1.0000001m), cancellationToken: Ct));

        (ex.StatusCode, ex.ErrorCode, ex.Param).ShouldBe((422, "amount_precision", "amount"));
    }

    [Fact]
    public async Task RateLimited_BeyondTheCap_ThrowsAtOnceWithTheDelay()
    {
        await using var sim = await StartSimulatorAsync(new() { RateLimitRate = 1, RetryAfterSeconds = 3600 });
        var client = NewClient(sim, o => o.Resilience.MaxRetryAfter = TimeSpan.FromSeconds(30));

        var ex = await Should.ThrowAsync<KobbopayRateLimitException>(client.GetPaymentAsync("pay_x", Ct));

        ex.StatusCode.ShouldBe(429);
        ex.ErrorCode.ShouldBe("rate_limited");
        ex.RetryAfter.ShouldBe(TimeSpan.FromHours(1));
        sim.Requests.Count.ShouldBe(1, "no hidden hour-long wait, no retry");
    }

    [Fact]
    public async Task RateLimited_WithinTheCap_IsRetriedAfterTheDelay()
    {
        await using var sim = await StartSimulatorAsync(new() { RateLimitRate = 1, RetryAfterSeconds = 0 });
        var client = NewClient(sim, o => o.Resilience.MaxRetryAttempts = 2);

        var ex = await Should.ThrowAsync<KobbopayRateLimitException>(client.GetPaymentAsync("pay_x", Ct));

        ex.RetryAfter.ShouldBe(TimeSpan.Zero);
        sim.Requests.Count.ShouldBe(3, "the first attempt and two retries");
    }

    [Theory]
    [InlineData(500, "internal_error")]
    [InlineData(503, "unavailable")]
    public async Task ServerErrors_BeyondTheRetryBudget_ThrowTheLastAnswer(int status, string code)
    {
        await using var sim = await StartSimulatorAsync(status == 500 ? new SimulatorFaultOptions { InternalErrorRate = 1 } : new SimulatorFaultOptions { UnavailableRate = 1 });
        var client = NewClient(sim, o => o.Resilience.MaxRetryAttempts = 2);

        var ex = await Should.ThrowAsync<KobbopayApiException>(client.CreatePaymentAsync(Request("o"), cancellationToken: Ct));

        (ex.StatusCode, ex.ErrorCode).ShouldBe((status, code));
        sim.Requests.Count.ShouldBe(3);
        sim.Requests.Select(r => r.IdempotencyKey).Distinct().ShouldHaveSingleItem();
        sim.PaymentCount.ShouldBe(0);
    }

    [Fact]
    public async Task DroppedConnections_BeyondTheRetryBudget_ThrowANetworkException()
    {
        await using var sim = await StartSimulatorAsync(new() { DropConnectionRate = 1 });
        var client = NewClient(sim, o => o.Resilience.MaxRetryAttempts = 2);

        var ex = await Should.ThrowAsync<KobbopayNetworkException>(client.GetPaymentAsync("pay_x", Ct));

        ex.InnerException.ShouldBeOfType<HttpRequestException>();
        // Three attempts; the socket handler may itself resend once on a pooled connection that the
        // server closed before answering, so the simulator can see a few more requests, never fewer.
        sim.Requests.Count.ShouldBeInRange(3, 6);
        sim.Requests.ShouldAllBe(r => r.Fault == "drop_connection");
    }

    [Fact]
    public async Task SlowGateway_EndsWithATimeoutExceptionAtTheTotalTimeout()
    {
        await using var sim = await StartSimulatorAsync(new() { LatencyRate = 1, LatencyMilliseconds = 5_000 });
        var client = NewClient(sim, o =>
        {
            o.Resilience.TotalRequestTimeout = TimeSpan.FromMilliseconds(600);
            o.Resilience.AttemptTimeout = TimeSpan.FromMilliseconds(200);
            o.Resilience.MaxRetryAttempts = 20;
        });

        var ex = await Should.ThrowAsync<KobbopayTimeoutException>(client.CreatePaymentAsync(Request("o"), cancellationToken: Ct));

        var timeout = ex.InnerException.ShouldBeOfType<Polly.Timeout.TimeoutRejectedException>();
        timeout.Timeout.ShouldBe(TimeSpan.FromMilliseconds(600), "the total timeout ended the call, not an attempt's");
        sim.PaymentCount.ShouldBe(0);
    }

    [Fact]
    public async Task UnknownRoute_Is404WithTheRequestId()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim, o => o.BaseAddress = new Uri(sim.BaseAddress, "nowhere/"));

        var ex = await Should.ThrowAsync<KobbopayApiException>(client.GetPaymentAsync("pay_x", Ct));

        ex.StatusCode.ShouldBe(404);
        ex.RequestId.ShouldNotBeNull();
    }
}
