namespace Kobbopay.Webhooks.Tests.Processing;

/// <summary>The host-agnostic processor: verify, parse, dedupe, run the handler once, and say why a delivery was refused.</summary>
public sealed class WebhookProcessorTests
{
    private const string Secret = "kp_whsec_processor";
    private static readonly byte[] Body = EventBodies.Paid();

    private readonly FakeTimeProvider _clock = new();
    private readonly FaultyWebhookEventStore _store;
    private readonly WebhookProcessor _processor;
    private int _handlerCalls;

    public WebhookProcessorTests()
    {
        _store = new FaultyWebhookEventStore(new InMemoryWebhookEventStore(_clock));
        _processor = new WebhookProcessor(new HmacSha256HexSignatureScheme([Secret]), _store);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Valid_new_delivery_is_Processed_once_with_the_parsed_event()
    {
        PaymentEvent? seen = null;

        WebhookProcessingResult result = await _processor.ProcessAsync(Sequence(Body), Signed(Body), (e, _) =>
        {
            seen = e;
            _handlerCalls++;
            return Task.CompletedTask;
        }, Ct);

        result.Outcome.ShouldBe(WebhookOutcome.Processed);
        result.SignatureFailure.ShouldBe(WebhookVerificationFailure.None);
        result.Exception.ShouldBeNull();
        result.DedupeKey.ShouldBe("default:evt_1");
        result.Event.ShouldNotBeNull();
        result.Event.Id.ShouldBe("evt_1");
        _handlerCalls.ShouldBe(1);
        seen.ShouldBeSameAs(result.Event);
        _store.Completes.ShouldBe(1);
    }

    [Fact]
    public async Task Redelivery_of_a_processed_event_is_Duplicate_and_not_handled_again()
    {
        (await ProcessAsync(Body)).Outcome.ShouldBe(WebhookOutcome.Processed);

        WebhookProcessingResult again = await ProcessAsync(Body);

        again.Outcome.ShouldBe(WebhookOutcome.Duplicate);
        again.DedupeKey.ShouldBe("default:evt_1");
        _handlerCalls.ShouldBe(1);
    }

    [Fact]
    public async Task Redelivery_while_the_first_is_being_handled_is_InProgress()
    {
        TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<WebhookProcessingResult> first = _processor.ProcessAsync(Sequence(Body), Signed(Body), async (_, _) =>
        {
            _handlerCalls++;
            entered.SetResult();
            await release.Task;
        }, Ct);
        await entered.Task;

        WebhookProcessingResult second = await ProcessAsync(Body);

        second.Outcome.ShouldBe(WebhookOutcome.InProgress);
        release.SetResult();
        (await first).Outcome.ShouldBe(WebhookOutcome.Processed);
        _handlerCalls.ShouldBe(1);
        (await ProcessAsync(Body)).Outcome.ShouldBe(WebhookOutcome.Duplicate);
    }

    [Fact]
    public async Task Invalid_signature_never_calls_the_handler_or_the_store()
    {
        WebhookHeaders forged = Signed(Body, secret: "kp_whsec_attacker");

        WebhookProcessingResult result = await ProcessAsync(Body, forged);

        ShouldBeRefusedBeforeTheHandlerAndTheStore(result, WebhookOutcome.SignatureInvalid, WebhookVerificationFailure.NoSecretMatched);
    }

    [Theory]
    [InlineData(null, WebhookVerificationFailure.HeaderMissing)]
    [InlineData("", WebhookVerificationFailure.HeaderMissing)]
    [InlineData("nothex", WebhookVerificationFailure.HeaderMalformed)]
    public async Task Missing_or_malformed_signature_is_SignatureInvalid_with_the_reason(string? header, WebhookVerificationFailure failure)
    {
        WebhookHeaders headers = new();
        if (header is not null)
        {
            headers.Add("x-signature", header);
        }

        WebhookProcessingResult result = await ProcessAsync(Body, headers);

        ShouldBeRefusedBeforeTheHandlerAndTheStore(result, WebhookOutcome.SignatureInvalid, failure);
    }

    [Fact]
    public async Task Tampered_body_is_SignatureInvalid_even_when_it_is_valid_json()
    {
        byte[] tampered = EventBodies.Paid(status: PaymentStatus.Confirmed);

        WebhookProcessingResult result = await ProcessAsync(tampered, Signed(Body));

        result.Outcome.ShouldBe(WebhookOutcome.SignatureInvalid);
        _handlerCalls.ShouldBe(0);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"id\":")]
    [InlineData("[1,2,3]")]
    public async Task Validly_signed_body_that_is_not_an_event_is_Malformed(string text)
    {
        byte[] body = Encoding.UTF8.GetBytes(text);

        WebhookProcessingResult result = await ProcessAsync(body, Signed(body));

        ShouldBeRefusedBeforeTheHandlerAndTheStore(result, WebhookOutcome.Malformed, WebhookVerificationFailure.None);
    }

    [Fact]
    public async Task Handler_failure_is_HandlerFailed_and_the_next_delivery_runs_the_handler_again()
    {
        InvalidOperationException boom = new("handler failed");

        WebhookProcessingResult failed = await _processor.ProcessAsync(Sequence(Body), Signed(Body), (_, _) =>
        {
            _handlerCalls++;
            throw boom;
        }, Ct);

        failed.Outcome.ShouldBe(WebhookOutcome.HandlerFailed);
        failed.Exception.ShouldBeSameAs(boom);
        failed.DedupeKey.ShouldBe("default:evt_1");
        _store.Abandons.ShouldBe(1);

        WebhookProcessingResult retried = await ProcessAsync(Body);

        retried.Outcome.ShouldBe(WebhookOutcome.Processed);
        _handlerCalls.ShouldBe(2);
        (await ProcessAsync(Body)).Outcome.ShouldBe(WebhookOutcome.Duplicate);
    }

    [Fact]
    public async Task Asynchronously_failing_handler_is_HandlerFailed_too()
    {
        WebhookProcessingResult failed = await _processor.ProcessAsync(Sequence(Body), Signed(Body), async (_, _) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("late failure");
        }, Ct);

        failed.Outcome.ShouldBe(WebhookOutcome.HandlerFailed);
        failed.Exception.ShouldBeOfType<InvalidOperationException>();
        (await ProcessAsync(Body)).Outcome.ShouldBe(WebhookOutcome.Processed);
    }

    [Fact]
    public async Task Store_failure_on_begin_is_StoreUnavailable_and_the_handler_is_not_called()
    {
        _store.ThrowOnBegin = true;

        WebhookProcessingResult result = await ProcessAsync(Body);

        ShouldBeStoreUnavailable(result, handlerCalls: 0);
        _store.Completes.ShouldBe(0);

        _store.ThrowOnBegin = false;
        (await ProcessAsync(Body)).Outcome.ShouldBe(WebhookOutcome.Processed);
        _handlerCalls.ShouldBe(1);
    }

    [Fact]
    public async Task Store_failure_on_complete_is_StoreUnavailable_and_nothing_is_marked_processed()
    {
        _store.ThrowOnComplete = true;

        WebhookProcessingResult result = await ProcessAsync(Body);

        ShouldBeStoreUnavailable(result, handlerCalls: 1);

        // Not marked processed: once the store is back (and any lease has run out), a redelivery is handled again.
        _store.ThrowOnComplete = false;
        _clock.Advance(new WebhookProcessorOptions().LeaseDuration + TimeSpan.FromSeconds(1));
        (await ProcessAsync(Body)).Outcome.ShouldBe(WebhookOutcome.Processed);
        _handlerCalls.ShouldBe(2);
    }

    [Fact]
    public async Task Store_failure_for_every_call_is_StoreUnavailable_and_nothing_is_marked_processed()
    {
        IWebhookEventStore broken = new FaultyWebhookEventStore(new InMemoryWebhookEventStore(_clock)) { ThrowOnBegin = true, ThrowOnComplete = true, ThrowOnAbandon = true };
        WebhookProcessor processor = new(new HmacSha256HexSignatureScheme([Secret]), broken);

        WebhookProcessingResult result = await processor.ProcessAsync(Sequence(Body), Signed(Body), Handler, Ct);

        ShouldBeStoreUnavailable(result, handlerCalls: 0);
    }

    [Fact]
    public async Task Options_set_the_key_prefix_and_the_lease()
    {
        WebhookProcessor processor = new(
            new HmacSha256HexSignatureScheme([Secret]),
            _store,
            new WebhookProcessorOptions { KeyPrefix = "shop-eu", LeaseDuration = TimeSpan.FromMinutes(7) });

        WebhookProcessingResult result = await processor.ProcessAsync(Sequence(Body), Signed(Body), Handler, Ct);

        result.DedupeKey.ShouldBe("shop-eu:evt_1");
        _store.BeginRequests.ShouldBe([("shop-eu:evt_1", TimeSpan.FromMinutes(7))]);

        // Another prefix is another namespace of keys: the same event is new there.
        (await ProcessAsync(Body)).Outcome.ShouldBe(WebhookOutcome.Processed);
    }

    [Fact]
    public void Default_options_are_the_documented_ones()
    {
        WebhookProcessorOptions options = new();

        options.KeyPrefix.ShouldBe("default");
        options.LeaseDuration.ShouldBe(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Event_without_an_id_is_deduplicated_on_payment_type_and_sequence()
    {
        byte[] body = EventBodies.Paid(id: string.Empty, sequence: 5);

        WebhookProcessingResult first = await ProcessAsync(body);
        WebhookProcessingResult again = await ProcessAsync(body);

        first.Outcome.ShouldBe(WebhookOutcome.Processed);
        first.DedupeKey.ShouldBe("default:pay_1:payment.paid:seq-5");
        again.Outcome.ShouldBe(WebhookOutcome.Duplicate);
        _handlerCalls.ShouldBe(1);
    }

    [Fact]
    public async Task Standard_Webhooks_deliveries_are_processed_too()
    {
        const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        WebhookProcessor processor = new(new StandardWebhooksSignatureScheme([StandardSecret], timeProvider: _clock), _store);
        WebhookHeaders headers = new(KobbopayWebhookSigner.Sign(Body, StandardWebhooksSignatureScheme.SchemeName, StandardSecret, "evt_1", _clock.GetUtcNow()));

        (await processor.ProcessAsync(SegmentedSequence.Chunks(Body, 16), headers, Handler, Ct)).Outcome.ShouldBe(WebhookOutcome.Processed);
        (await processor.ProcessAsync(Sequence(Body), headers, Handler, Ct)).Outcome.ShouldBe(WebhookOutcome.Duplicate);

        _clock.Advance(TimeSpan.FromMinutes(10));
        WebhookProcessingResult stale = await processor.ProcessAsync(Sequence(Body), headers, Handler, Ct);
        stale.Outcome.ShouldBe(WebhookOutcome.SignatureInvalid);
        stale.SignatureFailure.ShouldBe(WebhookVerificationFailure.TimestampOutOfTolerance);
        _handlerCalls.ShouldBe(1);
    }

    [Fact]
    public async Task Enqueue_records_a_valid_delivery_in_the_inbox_once_and_runs_nothing()
    {
        InMemoryWebhookInbox inbox = new(_clock);

        WebhookProcessingResult first = await _processor.EnqueueAsync(Sequence(Body), Signed(Body), inbox, "dlv_1", Ct);
        WebhookProcessingResult again = await _processor.EnqueueAsync(Sequence(Body), Signed(Body), inbox, "dlv_2", Ct);

        first.Outcome.ShouldBe(WebhookOutcome.Queued);
        first.OutcomeName.ShouldBe("queued");
        first.DedupeKey.ShouldBe("default:evt_1");
        again.Outcome.ShouldBe(WebhookOutcome.Duplicate);
        WebhookInboxEntry queued = (await inbox.ClaimAsync(10, TimeSpan.FromMinutes(1), Ct)).ShouldHaveSingleItem();
        queued.Body.ToArray().ShouldBe(Body);
        queued.DeliveryId.ShouldBe("dlv_1");
        _store.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task Enqueue_of_a_forged_delivery_is_SignatureInvalid_and_records_nothing()
    {
        InMemoryWebhookInbox inbox = new(_clock);

        WebhookProcessingResult result = await _processor.EnqueueAsync(Sequence(Body), Signed(Body, "kp_whsec_other"), inbox, null, Ct);

        result.Outcome.ShouldBe(WebhookOutcome.SignatureInvalid);
        (await inbox.ClaimAsync(10, TimeSpan.FromMinutes(1), Ct)).ShouldBeEmpty();
        (await inbox.ListParkedAsync(10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Enqueue_parks_a_validly_signed_body_that_is_not_an_event_with_its_raw_bytes()
    {
        InMemoryWebhookInbox inbox = new(_clock);
        byte[] changed = """{"kind":"payment.settled.v2","payload":{}}"""u8.ToArray();

        WebhookProcessingResult result = await _processor.EnqueueAsync(Sequence(changed), Signed(changed), inbox, "dlv_9", Ct);
        WebhookProcessingResult again = await _processor.EnqueueAsync(Sequence(changed), Signed(changed), inbox, "dlv_10", Ct);

        result.Outcome.ShouldBe(WebhookOutcome.Parked);
        again.Outcome.ShouldBe(WebhookOutcome.Duplicate);
        result.DedupeKey.ShouldBe("default:unparsed:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(changed)).ToLowerInvariant());
        WebhookInboxEntry parked = (await inbox.ListParkedAsync(10, Ct)).ShouldHaveSingleItem();
        parked.Body.ToArray().ShouldBe(changed);
        parked.DeliveryId.ShouldBe("dlv_9");
        parked.LastError.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Enqueue_when_the_inbox_fails_is_StoreUnavailable()
    {
        WebhookProcessingResult result = await _processor.EnqueueAsync(Sequence(Body), Signed(Body), new BrokenInbox(), null, Ct);

        result.Outcome.ShouldBe(WebhookOutcome.StoreUnavailable);
        result.Exception.ShouldBeOfType<TimeoutException>();
    }

    [Fact]
    public async Task An_event_not_above_the_highest_handled_sequence_is_stale_logged_once_and_still_completed()
    {
        InMemoryWebhookEventStore store = new(_clock);
        Microsoft.Extensions.Logging.Testing.FakeLogger logger = new();
        WebhookProcessor processor = new(new HmacSha256HexSignatureScheme([Secret]), store, logger: logger);
        List<(string, bool)> seen = [];
        Task<WebhookProcessingResult> Deliver(byte[] body) => processor.ProcessAsync(Sequence(body), Signed(body), (e, stale, _) =>
        {
            seen.Add((e.Id!, stale));
            return Task.CompletedTask;
        }, Ct);

        (await Deliver(EventBodies.Paid("evt_3", sequence: 3))).Outcome.ShouldBe(WebhookOutcome.Processed);
        WebhookProcessingResult late = await Deliver(EventBodies.Paid("evt_2", sequence: 2));
        (await Deliver(EventBodies.Paid("evt_2", sequence: 2))).Outcome.ShouldBe(WebhookOutcome.Duplicate);
        (await Deliver(EventBodies.Paid("evt_4", sequence: 4))).Outcome.ShouldBe(WebhookOutcome.Processed);

        late.Outcome.ShouldBe(WebhookOutcome.Processed, "a stale event is completed so the gateway stops retrying");
        seen.ShouldBe([("evt_3", false), ("evt_2", true), ("evt_4", false)]);
        (await store.GetHandledSequenceAsync("default:pay_1", Ct)).ShouldBe(4);
        Microsoft.Extensions.Logging.Testing.FakeLogRecord stale = logger.Collector.GetSnapshot().Where(r => r.Id.Id == 307).ShouldHaveSingleItem();
        stale.Level.ShouldBe(Microsoft.Extensions.Logging.LogLevel.Information);
        stale.Message.ShouldBe("Kobbopay webhook event evt_2 for payment pay_1 is stale: its sequence 2 is not above 3, the highest handled; kept from handlers that do not ask for stale events");
    }

    [Fact]
    public async Task A_handler_that_throws_does_not_advance_the_payment_sequence()
    {
        InMemoryWebhookEventStore store = new(_clock);
        WebhookProcessor processor = new(new HmacSha256HexSignatureScheme([Secret]), store);
        byte[] body = EventBodies.Paid("evt_3", sequence: 3);

        WebhookProcessingResult failed = await processor.ProcessAsync(Sequence(body), Signed(body), (_, _, _) => throw new InvalidOperationException("handler down"), Ct);

        failed.Outcome.ShouldBe(WebhookOutcome.HandlerFailed);
        (await store.GetHandledSequenceAsync("default:pay_1", Ct)).ShouldBeNull();
        bool? staleOnRetry = null;
        (await processor.ProcessAsync(Sequence(body), Signed(body), (_, stale, _) =>
        {
            staleOnRetry = stale;
            return Task.CompletedTask;
        }, Ct)).Outcome.ShouldBe(WebhookOutcome.Processed);
        staleOnRetry.ShouldBe(false);
        (await store.GetHandledSequenceAsync("default:pay_1", Ct)).ShouldBe(3);
    }

    private static ReadOnlySequence<byte> Sequence(byte[] body) => new(body);

    private static WebhookHeaders Signed(byte[] body, string secret = Secret) =>
        new([new("x-signature", HmacSha256HexSignatureScheme.ComputeSignature(body, secret))]);

    private Task Handler(PaymentEvent e, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _handlerCalls);
        return Task.CompletedTask;
    }

    /// <summary>Asserts a delivery was refused with <paramref name="outcome"/> before the handler or the store saw it.</summary>
    private void ShouldBeRefusedBeforeTheHandlerAndTheStore(WebhookProcessingResult result, WebhookOutcome outcome, WebhookVerificationFailure failure)
    {
        result.Outcome.ShouldBe(outcome);
        result.SignatureFailure.ShouldBe(failure);
        result.Event.ShouldBeNull();
        _handlerCalls.ShouldBe(0);
        _store.Calls.ShouldBe(0);
    }

    /// <summary>Asserts a delivery was answered StoreUnavailable with the store's exception, after <paramref name="handlerCalls"/> handler calls in all.</summary>
    private void ShouldBeStoreUnavailable(WebhookProcessingResult result, int handlerCalls)
    {
        result.Outcome.ShouldBe(WebhookOutcome.StoreUnavailable);
        result.Exception.ShouldNotBeNull();
        _handlerCalls.ShouldBe(handlerCalls);
    }

    private Task<WebhookProcessingResult> ProcessAsync(byte[] body, WebhookHeaders? headers = null) =>
        _processor.ProcessAsync(Sequence(body), headers ?? Signed(body), Handler, Ct);
}
