using System.Net.Http.Headers;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Kobbopay.Sdk.Tests.Resilience;

public sealed class KobbopayResilienceHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The statuses the pipeline treats as transient (retried where retrying is safe).</summary>
    public static TheoryData<HttpStatusCode> TransientStatuses =>
    [
        HttpStatusCode.RequestTimeout, HttpStatusCode.TooManyRequests, HttpStatusCode.InternalServerError,
        HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout,
    ];

    [Theory]
    [MemberData(nameof(TransientStatuses))]
    public async Task SendAsync_TransientStatus_IsRetriedAndTheNextAttemptSucceeds(HttpStatusCode status)
    {
        using ResilienceHarness harness = new();
        harness.Server.RespondError(status, "scripted").Respond(HttpStatusCode.OK);

        using HttpResponseMessage response = await harness.SendAsync(ResilienceHarness.Get(), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        harness.Server.Attempts.Count.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_Conflict_IdempotencyKeyInUse_IsRetried()
    {
        using ResilienceHarness harness = new();
        harness.Server.RespondError(HttpStatusCode.Conflict, "idempotency_key_in_use").Respond(HttpStatusCode.Created);

        using HttpResponseMessage response = await harness.SendAsync(ResilienceHarness.Post("key-409"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        harness.Server.Attempts.Count.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_Conflict_WithAnotherCode_IsNotRetried_AndItsBodyStaysReadable()
    {
        using ResilienceHarness harness = new();
        harness.Server.RespondError(HttpStatusCode.Conflict, "some_other_conflict");

        using HttpResponseMessage response = await harness.SendAsync(ResilienceHarness.Post("key-409"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        harness.Server.Attempts.Count.ShouldBe(1);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("some_other_conflict");
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData(HttpStatusCode.Unauthorized, "invalid_api_key")]
    [InlineData(HttpStatusCode.Forbidden, "environment_mismatch")]
    [InlineData(HttpStatusCode.NotFound, "payment_not_found")]
    [InlineData(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused")]
    public async Task SendAsync_ClientError_IsNotRetried(HttpStatusCode status, string code)
    {
        using ResilienceHarness harness = new();
        harness.Server.RespondError(status, code);

        using HttpResponseMessage response = await harness.SendAsync(ResilienceHarness.Post("key-4xx"), Ct);

        response.StatusCode.ShouldBe(status);
        harness.Server.Attempts.Count.ShouldBe(1);
        harness.Elapsed.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task SendAsync_HttpRequestException_IsRetriedAndTheNextAttemptSucceeds()
    {
        using ResilienceHarness harness = new();
        harness.Server.Throw(new HttpRequestException("connection refused")).Respond(HttpStatusCode.OK);

        using HttpResponseMessage response = await harness.SendAsync(ResilienceHarness.Get(), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        harness.Server.Attempts.Count.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_AttemptTimeout_IsRetriedAndTheNextAttemptSucceeds()
    {
        using ResilienceHarness harness = new(new KobbopayResilienceOptions { AttemptTimeout = TimeSpan.FromSeconds(2), UseJitter = false });
        harness.Server.Hang().Respond(HttpStatusCode.OK);

        using HttpResponseMessage response = await harness.SendAsync(ResilienceHarness.Get(), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        harness.Server.Attempts.Select(a => a.At).ShouldBe([TimeSpan.Zero, TimeSpan.FromSeconds(2.5)]);
    }

    [Theory]
    [MemberData(nameof(TransientStatuses))]
    public async Task SendAsync_PostWithoutIdempotencyKey_IsNeverRetried(HttpStatusCode status)
    {
        using ResilienceHarness harness = new();
        harness.Server.RespondError(status, "scripted");

        using HttpResponseMessage response = await harness.SendAsync(ResilienceHarness.Post(idempotencyKey: null), Ct);

        response.StatusCode.ShouldBe(status);
        harness.Server.Attempts.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_PostWithoutIdempotencyKey_IsNotRetriedAfterANetworkFailure()
    {
        using ResilienceHarness harness = new();
        harness.Server.Throw(new HttpRequestException("reset"));

        await Should.ThrowAsync<HttpRequestException>(() => harness.SendAsync(ResilienceHarness.Post(idempotencyKey: null), Ct));

        harness.Server.Attempts.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_PostWithIdempotencyKey_IsRetried_SendingTheSameRequestEachTime()
    {
        using ResilienceHarness harness = new();
        harness.Server
            .RespondError(HttpStatusCode.InternalServerError, "internal_error")
            .Throw(new HttpRequestException("reset"))
            .RespondError(HttpStatusCode.Conflict, "idempotency_key_in_use")
            .Respond(HttpStatusCode.Created);
        using HttpRequestMessage request = ResilienceHarness.Post("order-123-create");

        using HttpResponseMessage response = await harness.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        IReadOnlyList<Attempt> attempts = harness.Server.Attempts;
        attempts.Count.ShouldBe(4);
        attempts.ShouldAllBe(a => ReferenceEquals(a.Request, request));
        attempts.Select(a => a.IdempotencyKey).ShouldAllBe(key => key == "order-123-create");
        attempts.Select(a => a.Body).ShouldAllBe(body => body != null && body.SequenceEqual(attempts[0].Body!));
        attempts[0].Body!.Length.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, "seconds", 7, 7)] // jitter is on, and does not touch the server's delay
    [InlineData(HttpStatusCode.ServiceUnavailable, "http-date", 12, 12)]
    [InlineData(HttpStatusCode.TooManyRequests, "http-date", -60, 0)] // a date in the past: retried at once
    public async Task SendAsync_RetryAfter_IsTheDelayBeforeTheNextAttempt(HttpStatusCode status, string form, int retryAfterSeconds, int expectedDelaySeconds)
    {
        using ResilienceHarness harness = new(new KobbopayResilienceOptions { UseJitter = true });
        RetryConditionHeaderValue retryAfter = form == "seconds"
            ? new(TimeSpan.FromSeconds(retryAfterSeconds))
            : new(harness.Time.GetUtcNow().AddSeconds(retryAfterSeconds));
        harness.Server
            .RespondError(status, status == HttpStatusCode.TooManyRequests ? "rate_limited" : "unavailable", r => r.Headers.RetryAfter = retryAfter)
            .Respond(HttpStatusCode.OK);

        using HttpResponseMessage response = await harness.SendAsync(ResilienceHarness.Get(), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        harness.Server.Attempts.Select(a => a.At).ShouldBe([TimeSpan.Zero, TimeSpan.FromSeconds(expectedDelaySeconds)]);
    }

    [Fact]
    public async Task SendAsync_RetryAfterAboveMaxRetryAfter_ReturnsTheResponseAtOnce()
    {
        using ResilienceHarness harness = new(new KobbopayResilienceOptions { MaxRetryAfter = TimeSpan.FromSeconds(30) });
        harness.Server.RespondError(HttpStatusCode.TooManyRequests, "rate_limited", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(31)));

        Task<HttpResponseMessage> call = harness.Start(ResilienceHarness.Get(), Ct);

        call.IsCompleted.ShouldBeTrue("no delay should be scheduled");
        using HttpResponseMessage response = await call;
        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(31));
        harness.Server.Attempts.Count.ShouldBe(1);
        harness.Elapsed.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task SendAsync_RetriesStopAfterMaxRetryAttempts_AndTheLastResponseIsReturned()
    {
        using ResilienceHarness harness = new(new KobbopayResilienceOptions { MaxRetryAttempts = 2 });
        harness.Server.RepeatLast = true;
        harness.Server.RespondError(HttpStatusCode.ServiceUnavailable, "unavailable");

        using HttpResponseMessage response = await harness.SendAsync(ResilienceHarness.Get(), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        harness.Server.Attempts.Count.ShouldBe(3);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("unavailable");
    }

    [Fact]
    public async Task SendAsync_ZeroMaxRetryAttempts_MakesOneAttempt()
    {
        using ResilienceHarness harness = new(new KobbopayResilienceOptions { MaxRetryAttempts = 0 });
        harness.Server.RespondError(HttpStatusCode.ServiceUnavailable, "unavailable");

        using HttpResponseMessage response = await harness.SendAsync(ResilienceHarness.Get(), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        harness.Server.Attempts.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_WithoutJitter_DelaysDoubleFromRetryBaseDelay_UpToMaxRetryDelay()
    {
        using ResilienceHarness harness = new(new KobbopayResilienceOptions
        {
            MaxRetryAttempts = 4,
            UseJitter = false,
            RetryBaseDelay = TimeSpan.FromSeconds(1),
            MaxRetryDelay = TimeSpan.FromSeconds(3),
        });
        harness.Server.RepeatLast = true;
        harness.Server.Throw(new HttpRequestException("down"));

        await Should.ThrowAsync<HttpRequestException>(() => harness.SendAsync(ResilienceHarness.Get(), Ct));

        harness.Server.Attempts.Select(a => a.At.TotalSeconds).ShouldBe([0, 1, 3, 6, 9]);
    }

    [Fact]
    public async Task SendAsync_RetriedResponse_IsDisposedBeforeTheNextAttempt()
    {
        using ResilienceHarness harness = new();
        bool? firstDisposedAtSecondAttempt = null;
        harness.Server
            .RespondError(HttpStatusCode.BadGateway, "unavailable")
            .Then((request, _) =>
            {
                firstDisposedAtSecondAttempt = ((TrackingContent)harness.Server.Responses[0].Content).IsDisposed;
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });
            });

        using HttpResponseMessage response = await harness.SendAsync(ResilienceHarness.Get(), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        firstDisposedAtSecondAttempt.ShouldBe(true);
    }

    [Fact]
    public async Task SendAsync_TotalTimeout_EndsTheCall_AndNoAttemptStartsAfterIt()
    {
        using ResilienceHarness harness = new(new KobbopayResilienceOptions
        {
            TotalRequestTimeout = TimeSpan.FromSeconds(2),
            AttemptTimeout = TimeSpan.FromSeconds(1),
            MaxRetryAttempts = 20,
            RetryBaseDelay = TimeSpan.FromMilliseconds(500),
            UseJitter = false,
        });
        harness.Server.RepeatLast = true;
        harness.Server.Hang();

        TimeoutRejectedException exception = await Should.ThrowAsync<TimeoutRejectedException>(() => harness.SendAsync(ResilienceHarness.Get(), Ct));

        exception.Timeout.ShouldBe(TimeSpan.FromSeconds(2));
        harness.Elapsed.ShouldBe(TimeSpan.FromSeconds(2));
        harness.Server.Attempts.Select(a => a.At).ShouldBe([TimeSpan.Zero, TimeSpan.FromSeconds(1.5)]);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        harness.Server.Attempts.Count.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_CircuitBreaker_OpensAfterEnoughFailures_AndClosesAfterTheBreakDuration()
    {
        FakeLogger logger = new();
        using ResilienceHarness harness = new(
            new KobbopayResilienceOptions
            {
                CircuitBreakerFailureRatio = 0.5,
                CircuitBreakerMinimumThroughput = 2,
                CircuitBreakerSamplingDuration = TimeSpan.FromSeconds(30),
                CircuitBreakerBreakDuration = TimeSpan.FromSeconds(5),
                UseJitter = false,
            },
            logger);
        harness.Server
            .RespondError(HttpStatusCode.InternalServerError, "internal_error")
            .RespondError(HttpStatusCode.InternalServerError, "internal_error")
            .Respond(HttpStatusCode.OK)
            .Respond(HttpStatusCode.OK);

        // Two failed attempts open the circuit: the retry after them is refused, and that is not retried.
        await Should.ThrowAsync<BrokenCircuitException>(() => harness.SendAsync(ResilienceHarness.Get(), Ct));
        harness.Server.Attempts.Count.ShouldBe(2);
        await Should.ThrowAsync<BrokenCircuitException>(() => harness.Start(ResilienceHarness.Get(), Ct));
        harness.Server.Attempts.Count.ShouldBe(2);

        harness.Time.Advance(TimeSpan.FromSeconds(5));
        using HttpResponseMessage trial = await harness.SendAsync(ResilienceHarness.Get(), Ct);
        using HttpResponseMessage next = await harness.SendAsync(ResilienceHarness.Get(), Ct);

        trial.StatusCode.ShouldBe(HttpStatusCode.OK);
        next.StatusCode.ShouldBe(HttpStatusCode.OK);
        harness.Server.Attempts.Count.ShouldBe(4);
        IReadOnlyList<FakeLogRecord> circuit = [.. logger.Collector.GetSnapshot().Where(r => r.Id.Id is >= 103 and <= 105)];
        circuit.Select(r => (r.Id.Id, r.Level)).ShouldBe([(103, LogLevel.Warning), (104, LogLevel.Information), (105, LogLevel.Information)]);
        circuit[0].GetStructuredStateValue("BreakDuration").ShouldBe(TimeSpan.FromSeconds(5).ToString());
    }

    [Fact]
    public async Task SendAsync_CircuitBreaker_DoesNotCountRateLimitingOrClientErrors()
    {
        using ResilienceHarness harness = new(new KobbopayResilienceOptions
        {
            MaxRetryAttempts = 0,
            CircuitBreakerFailureRatio = 0.5,
            CircuitBreakerMinimumThroughput = 2,
        });
        harness.Server
            .RespondError(HttpStatusCode.TooManyRequests, "rate_limited")
            .RespondError(HttpStatusCode.NotFound, "payment_not_found")
            .RespondError(HttpStatusCode.TooManyRequests, "rate_limited")
            .Respond(HttpStatusCode.OK);

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage failed = await harness.SendAsync(ResilienceHarness.Get(), Ct);
        }

        using HttpResponseMessage response = await harness.SendAsync(ResilienceHarness.Get(), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SendAsync_CallerCancellationDuringAnAttempt_PropagatesAsOperationCanceledException()
    {
        using ResilienceHarness harness = new();
        harness.Server.Hang();
        using CancellationTokenSource caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        Task<HttpResponseMessage> call = harness.Start(ResilienceHarness.Get(), caller.Token);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        harness.Server.Attempts.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_CallerCancellationDuringARetryDelay_PropagatesAndStopsRetrying()
    {
        using ResilienceHarness harness = new();
        harness.Server.RepeatLast = true;
        harness.Server.RespondError(HttpStatusCode.ServiceUnavailable, "unavailable", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(10)));
        using CancellationTokenSource caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        Task<HttpResponseMessage> call = harness.Start(ResilienceHarness.Get(), caller.Token);
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        harness.Server.Attempts.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_Retry_IsLoggedWithoutHeaders_AndCounted()
    {
        FakeLogger logger = new();
        using ResilienceHarness harness = new(logger: logger);
        harness.Server.RespondError(HttpStatusCode.ServiceUnavailable, "unavailable").Respond(HttpStatusCode.OK);
        HttpRequestMessage request = ResilienceHarness.Get(ResilienceHarness.PaymentsUrl + "/pay_42?expand=secret-query");
        request.Headers.Add("x-api-key", "kp_test_supersecret");
        using MetricCollector<long> retries = new(KobbopayTelemetry.Retries);

        using (request)
        {
            using HttpResponseMessage response = await harness.SendAsync(request, Ct);
        }

        FakeLogRecord retry = logger.Collector.GetSnapshot().ShouldHaveSingleItem();
        retry.Id.Id.ShouldBe(100);
        retry.Level.ShouldBe(LogLevel.Warning);
        retry.GetStructuredStateValue("Method").ShouldBe("GET");
        retry.GetStructuredStateValue("Path").ShouldBe("/v1/payments/pay_42");
        retry.GetStructuredStateValue("StatusCode").ShouldBe("503");
        retry.GetStructuredStateValue("Retry").ShouldBe("1");
        foreach (string secret in new[] { "kp_test_supersecret", "x-api-key", "secret-query" })
        {
            logger.Collector.GetSnapshot().Texts().ShouldNotContain(t => t.Contains(secret, StringComparison.Ordinal), "a header or the query reached the log");
        }

        // Other tests retry on the same process-wide counter: this call's retry is one of the measurements.
        retries.GetMeasurementSnapshot().ShouldContain(m => m.Value == 1 && m.MatchesTags(new KeyValuePair<string, object?>("http.request.method", "GET"), new KeyValuePair<string, object?>("error.type", "503")));
    }

    [Fact]
    public async Task SendAsync_RetryAfterAboveMaxRetryAfter_IsLogged()
    {
        FakeLogger logger = new();
        using ResilienceHarness harness = new(new KobbopayResilienceOptions { MaxRetryAfter = TimeSpan.FromSeconds(1) }, logger);
        harness.Server.RespondError(HttpStatusCode.TooManyRequests, "rate_limited", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2)));

        using HttpResponseMessage response = await harness.SendAsync(ResilienceHarness.Get(), Ct);

        FakeLogRecord tooLong = logger.Collector.GetSnapshot().ShouldHaveSingleItem();
        tooLong.Id.Id.ShouldBe(102);
        tooLong.GetStructuredStateValue("RetryAfter").ShouldBe(TimeSpan.FromSeconds(2).ToString());
        tooLong.GetStructuredStateValue("Limit").ShouldBe(TimeSpan.FromSeconds(1).ToString());
    }
}
