using System.Text;
using Kobbopay.Sdk.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static Kobbopay.Sdk.Tests.TestSupport.ClientFixture;
using StubRequest = WireMock.RequestBuilders.Request;

namespace Kobbopay.Sdk.Tests.Client;

/// <summary>
/// Every way a gateway (or the proxy in front of it) can answer badly reaches the caller as one of the SDK's own
/// exceptions, with what support needs: the status and the request id. Answers come from a WireMock.Net stub on
/// loopback; the client is the real one, handlers and resilience pipeline included. What type the transport
/// underneath throws (a socket error, Polly's rejections, a JSON reader's error) never reaches the caller.
/// </summary>
public sealed class BrokenGatewayTests
{
    private const string PaymentPath = "/v1/payments/pay_stub";
    private const string PaymentsPath = "/v1/payments";
    private const string JsonType = "application/json; charset=utf-8";
    private const string HtmlType = "text/html; charset=utf-8";

    /// <summary>The calls that read a body: one per answer shape (a payment, a created payment, a page).</summary>
    public enum Call
    {
        GetPayment,
        CreatePayment,
        ListPage,
    }

    /// <summary>Ways a 2xx body is not the contract's JSON (a status is a string; the body is complete UTF-8 JSON).</summary>
    public enum BadBody
    {
        TruncatedJson,
        StatusAsObject,
        InvalidUtf8,
        HtmlFromProxy,
        Empty,
        JsonNull,
    }

    public static TheoryData<Call> Calls() => [.. Enum.GetValues<Call>()];

    public static TheoryData<Call, BadBody> BadBodies()
    {
        TheoryData<Call, BadBody> data = [];
        foreach (Call call in Enum.GetValues<Call>())
        {
            foreach (BadBody body in Enum.GetValues<BadBody>())
            {
                data.Add(call, body);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task WellFormedAnswer_IsRead(Call call)
    {
        // The control for the bad-body cases: the same stubs with the contract's body succeed.
        using var gateway = StubGateway.Start();
        Answer(gateway, call, SuccessStatus(call), JsonType, Encoding.UTF8.GetBytes(call == Call.ListPage ? StubBodies.Page : StubBodies.Payment), "req_well_formed");

        Payment payment = await ReadPaymentAsync(gateway.NewClient(), call);

        (payment.Id, payment.Status, payment.Amount).ShouldBe(("pay_stub", PaymentStatus.Pending, 10.50m));
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task AmountAsAJsonNumber_IsReadExactly_NotRefused(Call call)
    {
        // The contract sends money as a string; a number is read as a tolerant reader would, digit for digit into a
        // decimal (never through a double), so "10.50" and 10.50 give the same amount.
        using var gateway = StubGateway.Start();
        string valid = call == Call.ListPage ? StubBodies.Page : StubBodies.Payment;
        Answer(gateway, call, SuccessStatus(call), JsonType, Encoding.UTF8.GetBytes(valid.Replace("\"amount\":\"10.50\"", "\"amount\":10.50", StringComparison.Ordinal)), "req_number");

        Payment payment = await ReadPaymentAsync(gateway.NewClient(), call);

        payment.Amount.ShouldBe(10.50m);
        payment.Amount.Scale.ShouldBe((byte)2);
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task SuccessWithABodyThatIsNotTheContractsJson_IsAKobbopayExceptionNamingStatusAndRequestId(Call call, BadBody kind)
    {
        using var gateway = StubGateway.Start();
        int status = SuccessStatus(call);
        string requestId = $"req_bad_{call}_{kind}";
        (string contentType, byte[] body) = Body(kind, call == Call.ListPage ? StubBodies.Page : StubBodies.Payment);
        Answer(gateway, call, status, contentType, body, requestId);
        var client = gateway.NewClient();

        var ex = await Should.ThrowAsync<Exception>(Invoke(client, call));

        ShouldBeOurs(ex);
        ShouldBeABadBodyException(ex);
        ex.Message.ShouldMatch($@"\b{status}\b", $"the message should name the HTTP status {status}: {ex.Message}");
        ex.Message.ShouldContain(requestId, Case.Sensitive, $"the message should name the x-request-id the gateway sent, for support: {ex.Message}");
        gateway.RequestCount().ShouldBe(1, "a 2xx is not retried, whatever its body");
    }

    [Theory]
    [InlineData(Call.CreatePayment, 400, "invalid_request", "currency")]
    [InlineData(Call.ListPage, 400, "invalid_request", "limit")]
    [InlineData(Call.GetPayment, 401, "invalid_api_key", null)]
    [InlineData(Call.GetPayment, 403, "environment_mismatch", null)]
    [InlineData(Call.GetPayment, 404, "payment_not_found", "id")]
    [InlineData(Call.CreatePayment, 422, "unsupported_rail", null)]
    [InlineData(Call.CreatePayment, 422, "amount_precision", "amount")]
    [InlineData(Call.CreatePayment, 422, "idempotency_key_reused", null)]
    public async Task ContractError_IsAnApiExceptionWithEveryFieldOfTheBody(Call call, int status, string code, string? param)
    {
        using var gateway = StubGateway.Start();
        string requestId = $"req_contract_{status}_{code}";
        string message = $"The gateway says no ({code}).";
        Answer(gateway, call, status, JsonType, Encoding.UTF8.GetBytes(StubBodies.Error(code, message, param, requestId)), requestId);
        var client = gateway.NewClient();

        var ex = await Should.ThrowAsync<Exception>(Invoke(client, call));

        ShouldBeOurs(ex);
        var api = ex.ShouldBeOfType<KobbopayApiException>();
        api.StatusCode.ShouldBe(status);
        api.ErrorCode.ShouldBe(code);
        api.GatewayMessage.ShouldBe(message);
        api.Param.ShouldBe(param);
        api.RequestId.ShouldBe(requestId);
        api.Message.ShouldContain(requestId);
        api.Message.ShouldMatch($@"\b{status}\b");
        gateway.RequestCount().ShouldBe(1, $"a {status} is not retried");
    }

    [Theory]
    [InlineData(400, HtmlType, "html")]
    [InlineData(401, HtmlType, "html")]
    [InlineData(403, HtmlType, "html")]
    [InlineData(404, HtmlType, "html")]
    [InlineData(413, HtmlType, "html")]
    [InlineData(500, HtmlType, "html")]
    [InlineData(502, HtmlType, "html")]
    [InlineData(503, HtmlType, "html")]
    [InlineData(504, HtmlType, "html")]
    [InlineData(502, "text/plain", "empty")]
    [InlineData(502, "text/plain", "text")]
    [InlineData(404, JsonType, "json-not-the-envelope")]
    [InlineData(400, JsonType, "json-error-as-string")]
    public async Task ErrorStatusWithABodyThatIsNotTheContractsError_IsAnApiExceptionWithCodeUnknownAndTheHeadersRequestId(int status, string contentType, string kind)
    {
        using var gateway = StubGateway.Start();
        string requestId = $"req_proxy_{status}_{kind}";
        string body = kind switch
        {
            "html" => StubBodies.ProxyErrorPage(status),
            "empty" => string.Empty,
            "text" => "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
            "json-not-the-envelope" => """{"message":"no Route matched with those values"}""",
            _ => """{"error":"bad request"}""",
        };
        Answer(gateway, Call.GetPayment, status, contentType, Encoding.UTF8.GetBytes(body), requestId);
        var client = gateway.NewClient();

        var ex = await Should.ThrowAsync<Exception>(client.GetPaymentAsync("pay_stub", Ct));

        ShouldBeOurs(ex);
        var api = ex.ShouldBeOfType<KobbopayApiException>();
        api.StatusCode.ShouldBe(status);
        api.ErrorCode.ShouldBe("unknown");
        api.Param.ShouldBeNull();
        api.RequestId.ShouldBe(requestId, "without an error body the request id comes from the x-request-id header");
        api.GatewayMessage.ShouldNotBeNullOrWhiteSpace();
        api.Message.ShouldContain(requestId);
        api.Message.ShouldMatch($@"\b{status}\b");
        gateway.RequestCount().ShouldBe(status >= 500 ? 3 : 1, "a 5xx is retried twice for a GET; a 4xx is not retried");
    }

    [Theory]
    [InlineData("seconds")]
    [InlineData("http-date")]
    public async Task RateLimited_WithARetryAfterBeyondTheCap_IsARateLimitExceptionAfterExactlyOneRequest(string form)
    {
        using var gateway = StubGateway.Start();
        const string RequestId = "req_rate_limited";
        string retryAfter = form == "seconds" ? "3600" : TimeProvider.System.GetUtcNow().AddHours(2).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        Answer(gateway, Call.GetPayment, 429, JsonType, Encoding.UTF8.GetBytes(StubBodies.Error("rate_limited", "Slow down.", null, RequestId)), RequestId, r => r.WithHeader("Retry-After", retryAfter));
        var client = gateway.NewClient(r => r.MaxRetryAfter = TimeSpan.FromSeconds(30));

        var ex = await Should.ThrowAsync<Exception>(client.GetPaymentAsync("pay_stub", Ct));

        ShouldBeOurs(ex);
        var limited = ex.ShouldBeOfType<KobbopayRateLimitException>();
        limited.StatusCode.ShouldBe(429);
        limited.ErrorCode.ShouldBe("rate_limited");
        limited.GatewayMessage.ShouldBe("Slow down.");
        limited.RequestId.ShouldBe(RequestId);
        if (form == "seconds")
        {
            limited.RetryAfter.ShouldBe(TimeSpan.FromHours(1));
        }
        else
        {
            // An HTTP date has whole seconds and is read against the clock a moment later.
            limited.RetryAfter.ShouldNotBeNull().ShouldBeInRange(TimeSpan.FromHours(2) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(2));
        }

        gateway.RequestCount().ShouldBe(1, "a Retry-After beyond MaxRetryAfter is neither waited out nor retried");
    }

    [Fact]
    public async Task ServiceUnavailable_BeyondTheRetryBudget_IsAnApiExceptionAfterExactlyThreeRequests()
    {
        using var gateway = StubGateway.Start();
        const string RequestId = "req_unavailable";
        Answer(gateway, Call.GetPayment, 503, JsonType, Encoding.UTF8.GetBytes(StubBodies.Error("unavailable", "Try again later.", null, RequestId)), RequestId);
        var client = gateway.NewClient(r =>
        {
            r.MaxRetryAttempts = 2;
            r.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            r.UseJitter = false;
        });

        var ex = await Should.ThrowAsync<Exception>(client.GetPaymentAsync("pay_stub", Ct));

        ShouldBeOurs(ex);
        var api = ex.ShouldBeOfType<KobbopayApiException>();
        (api.StatusCode, api.ErrorCode, api.RequestId).ShouldBe((503, "unavailable", RequestId));
        gateway.RequestCount(PaymentPath).ShouldBe(3, "the first attempt and two retries");
    }

    [Theory]
    [InlineData(ConnectionDrop.BeforeTheAnswer)]
    [InlineData(ConnectionDrop.MidBody)]
    public async Task DroppedConnection_IsANetworkException(ConnectionDrop how)
    {
        using var gateway = StubGateway.Start();
        gateway.DropConnection(PaymentPath, how);
        var client = gateway.NewClient();

        var ex = await Should.ThrowAsync<Exception>(client.GetPaymentAsync("pay_stub", Ct));

        ShouldBeOurs(ex);
        ex.ShouldBeOfType<KobbopayNetworkException>();
        if (how == ConnectionDrop.BeforeTheAnswer)
        {
            // Three attempts; the socket handler may itself resend once on a pooled connection the server closed.
            gateway.DroppedCount.ShouldBeInRange(3, 6);
        }
        else
        {
            gateway.DroppedCount.ShouldBeGreaterThanOrEqualTo(1);
        }
    }

    [Theory]
    [InlineData(FaultType.EMPTY_RESPONSE)]
    [InlineData(FaultType.MALFORMED_RESPONSE_CHUNK)]
    public async Task WireMockFault_IsAKobbopayExceptionNamingStatusAndRequestId(FaultType fault)
    {
        // WireMock.Net 1.25's faults do not break the connection: EMPTY_RESPONSE answers the status line and
        // headers with no body, MALFORMED_RESPONSE_CHUNK half the body then random bytes, on a connection that
        // stays up. To the client both are a 200 whose body is not the contract's JSON.
        using var gateway = StubGateway.Start();
        const string RequestId = "req_wiremock_fault";
        Answer(gateway, Call.GetPayment, 200, JsonType, Encoding.UTF8.GetBytes(StubBodies.Payment), RequestId, r => r.WithFault(fault));
        var client = gateway.NewClient();

        var ex = await Should.ThrowAsync<Exception>(client.GetPaymentAsync("pay_stub", Ct));

        ShouldBeOurs(ex);
        ShouldBeABadBodyException(ex);
        ex.Message.ShouldMatch(@"\b200\b", $"the message should name the HTTP status: {ex.Message}");
        ex.Message.ShouldContain(RequestId, Case.Sensitive, $"the message should name the x-request-id the gateway sent: {ex.Message}");
    }

    [Fact]
    public async Task SlowAnswer_BeyondTheTotalTimeout_IsATimeoutException()
    {
        // WireMock's delay does not end when the client gives up, and stopping the server waits for every delayed
        // answer: 600 ms (twice the total timeout) keeps the whole test under a second.
        using var gateway = StubGateway.Start();
        Answer(gateway, Call.GetPayment, 200, JsonType, Encoding.UTF8.GetBytes(StubBodies.Payment), "req_slow", r => r.WithDelay(TimeSpan.FromMilliseconds(600)));
        var client = gateway.NewClient(r =>
        {
            r.TotalRequestTimeout = TimeSpan.FromMilliseconds(300);
            r.AttemptTimeout = TimeSpan.FromMilliseconds(100);
            r.MaxRetryAttempts = 5;
        });

        var ex = await Should.ThrowAsync<Exception>(client.GetPaymentAsync("pay_stub", Ct));

        ShouldBeOurs(ex);
        ex.ShouldBeOfType<KobbopayTimeoutException>();
        gateway.ArrivedCount.ShouldBeGreaterThanOrEqualTo(1, "the call was sent, and outlived its timeout");
    }

    [Fact]
    public async Task CircuitOpen_AfterRepeatedFailures_IsACircuitOpenExceptionAndNothingIsSent()
    {
        // No retries, so each call is one attempt; the breaker's window and break are long enough that neither can
        // lapse on a slow machine, and the test never waits for them.
        using var gateway = StubGateway.Start();
        Answer(gateway, Call.GetPayment, 503, JsonType, Encoding.UTF8.GetBytes(StubBodies.Error("unavailable", "Down.", null, "req_down")), "req_down");
        var client = gateway.NewClient(r =>
        {
            r.MaxRetryAttempts = 0;
            r.EnableCircuitBreaker = true;
            r.CircuitBreakerMinimumThroughput = 2;
            r.CircuitBreakerFailureRatio = 0.5;
            r.CircuitBreakerSamplingDuration = TimeSpan.FromSeconds(10);
            r.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(5);
        });
        for (int i = 0; i < 2; i++)
        {
            (await Should.ThrowAsync<KobbopayApiException>(client.GetPaymentAsync("pay_stub", Ct))).StatusCode.ShouldBe(503);
        }

        int sentBefore = gateway.ArrivedCount;

        var ex = await Should.ThrowAsync<Exception>(client.GetPaymentAsync("pay_stub", Ct));

        ShouldBeOurs(ex);
        var open = ex.ShouldBeOfType<KobbopayCircuitOpenException>();
        open.RetryAfter.ShouldNotBeNull().ShouldBeInRange(TimeSpan.Zero, TimeSpan.FromSeconds(5));
        sentBefore.ShouldBe(2);
        gateway.ArrivedCount.ShouldBe(sentBefore, "an open circuit sends nothing");
        gateway.RequestCount().ShouldBe(sentBefore);
    }

    private static int SuccessStatus(Call call) => call == Call.CreatePayment ? 201 : 200;

    private static Task Invoke(KobbopayClient client, Call call) => call switch
    {
        Call.CreatePayment => client.CreatePaymentAsync(Request("order-1"), cancellationToken: Ct),
        Call.ListPage => client.GetPaymentsPageAsync(new PaymentListOptions { PageSize = 20 }, cancellationToken: Ct),
        _ => client.GetPaymentAsync("pay_stub", Ct),
    };

    /// <summary>Makes the call and gives the one payment its answer holds (a page must hold exactly one).</summary>
    private static async Task<Payment> ReadPaymentAsync(KobbopayClient client, Call call) => call switch
    {
        Call.ListPage => (await client.GetPaymentsPageAsync(cancellationToken: Ct)).Data.ShouldHaveSingleItem(),
        Call.CreatePayment => await client.CreatePaymentAsync(Request("order-1"), cancellationToken: Ct),
        _ => await client.GetPaymentAsync("pay_stub", Ct),
    };

    /// <summary>Stubs the call's route with an answer carrying a request id; <paramref name="more"/> adds to it (a header, a fault, a delay).</summary>
    private static void Answer(StubGateway gateway, Call call, int status, string contentType, byte[] body, string requestId, Func<IResponseBuilder, IResponseBuilder>? more = null)
    {
        IRequestBuilder request = call switch
        {
            Call.CreatePayment => StubRequest.Create().WithPath(PaymentsPath).UsingPost(),
            Call.ListPage => StubRequest.Create().WithPath(PaymentsPath).UsingGet(),
            _ => StubRequest.Create().WithPath(PaymentPath).UsingGet(),
        };
        IResponseBuilder response = Response.Create()
            .WithStatusCode(status)
            .WithHeader("Content-Type", contentType)
            .WithHeader("x-request-id", requestId)
            .WithBody(body);
        gateway.Server.Given(request).RespondWith(more is null ? response : more(response));
    }

    private static (string ContentType, byte[] Body) Body(BadBody kind, string valid) => kind switch
    {
        BadBody.TruncatedJson => (JsonType, Encoding.UTF8.GetBytes(valid[..(valid.Length / 2)])),
        BadBody.StatusAsObject => (JsonType, Encoding.UTF8.GetBytes(Replace(valid, "\"status\":\"pending\"", "\"status\":{\"value\":\"pending\"}"))),
        BadBody.InvalidUtf8 => (JsonType, InvalidUtf8(valid)),
        BadBody.HtmlFromProxy => (HtmlType, Encoding.UTF8.GetBytes(StubBodies.ProxyInterstitial)),
        BadBody.Empty => (JsonType, []),
        BadBody.JsonNull => (JsonType, "null"u8.ToArray()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string Replace(string json, string from, string to)
    {
        json.ShouldContain(from);
        return json.Replace(from, to, StringComparison.Ordinal);
    }

    /// <summary>The body with the order id's value made of bytes that are not UTF-8 (a lone continuation byte, an overlong form, 0xFF).</summary>
    private static byte[] InvalidUtf8(string valid)
    {
        string[] halves = valid.Split("order-1", 2);
        halves.Length.ShouldBe(2);
        return [.. Encoding.UTF8.GetBytes(halves[0]), 0x80, 0xC0, 0xAF, 0xFF, .. Encoding.UTF8.GetBytes(halves[1])];
    }

    /// <summary>The thrown type is the SDK's own; no Refit, Polly, System.Text.Json or socket type reaches the caller.</summary>
    private static void ShouldBeOurs(Exception ex)
    {
        ex.GetType().Assembly.ShouldBe(typeof(KobbopayException).Assembly, $"{ex.GetType().FullName} reached the caller: {ex.Message}");
        ex.ShouldBeAssignableTo<KobbopayException>();
        ex.ToString().ShouldNotContain(StubGateway.ApiKey);
    }

    /// <summary>A body the SDK cannot read is a <see cref="KobbopayException"/>, not one of the subclasses that mean something else.</summary>
    private static void ShouldBeABadBodyException(Exception ex)
    {
        Type[] otherMeanings =
        [
            typeof(KobbopayApiException),
            typeof(KobbopayRateLimitException),
            typeof(KobbopayNetworkException),
            typeof(KobbopayTimeoutException),
            typeof(KobbopayCircuitOpenException),
            typeof(KobbopayUnsupportedRailException),
        ];
        otherMeanings.ShouldNotContain(ex.GetType(), $"a readable answer with an unreadable body is a KobbopayException, not {ex.GetType().Name}: {ex.Message}");
    }
}
