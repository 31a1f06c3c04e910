using System.Text;
using Kobbopay.AspNetCore.Queue;
using Microsoft.Extensions.Options;
using static Kobbopay.AspNetCore.Tests.TestSupport.Payloads;

namespace Kobbopay.AspNetCore.Tests.Queue;

/// <summary>Queued processing over real HTTP: the endpoint verifies and enqueues, the background worker handles, retries, parks.</summary>
public sealed class QueuedProcessingTests
{
    private static readonly RecordingInbox Unused = new(new InMemoryWebhookInbox());

    [Fact]
    public async Task A_signed_event_is_answered_200_queued_and_then_handled_once_by_the_worker_woken_at_once()
    {
        HandlerCalls calls = new();
        RecordingInbox inbox = new(new InMemoryWebhookInbox());

        // An hour between polls: only the endpoint's signal can wake the worker within the test.
        await using WebhookApp app = await StartAsync(calls, inbox, o => o.PollInterval = TimeSpan.FromHours(1));
        byte[] body = Event("evt_q");

        (await app.PostSignedAsync(body, deliveryId: "dlv_q")).ToString().ShouldBe(WebhookApp.Answer(200, "queued"));
        (await inbox.NextCompletedAsync()).ShouldBe("default:evt_q");

        calls.Counts["evt_q"].ShouldBe(1);
        (string _, KobbopayWebhookContext context, ScopeMarker _) = calls.Calls.ShouldHaveSingleItem();
        context.Event.Id.ShouldBe("evt_q");
        context.DeliveryId.ShouldBe("dlv_q");
        context.DedupeKey.ShouldBe("evt_q");
        (await app.DeliverAsync(body, times: 2)).ShouldBe([WebhookApp.Answer(200, "duplicate"), WebhookApp.Answer(200, "duplicate")]);
        (await inbox.Inner.ClaimAsync(10, TimeSpan.FromMinutes(1), WebhookApp.Ct)).ShouldBeEmpty("nothing was queued again");
    }

    [Fact]
    public async Task A_forged_delivery_is_401_and_nothing_enters_the_inbox()
    {
        HandlerCalls calls = new();
        RecordingInbox inbox = new(new InMemoryWebhookInbox());
        await using WebhookApp app = await StartAsync(calls, inbox);
        byte[] body = Event("evt_forged");

        (await app.PostAsync(body, Sign(body, secret: "not-the-secret"))).ToString().ShouldBe(WebhookApp.Answer(401, "unauthorized"));

        (await inbox.Inner.ClaimAsync(10, TimeSpan.FromMinutes(1), WebhookApp.Ct)).ShouldBeEmpty();
        (await inbox.ListParkedAsync(10, WebhookApp.Ct)).ShouldBeEmpty();
        calls.Counts.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_validly_signed_body_that_is_not_an_event_is_parked_with_its_raw_bytes_and_answered_200()
    {
        HandlerCalls calls = new();
        RecordingInbox inbox = new(new InMemoryWebhookInbox());
        await using WebhookApp app = await StartAsync(calls, inbox);
        byte[] body = Encoding.UTF8.GetBytes("""{"event":"payment.settled","v":2,"object":{"ref":"pay_1"}}""");

        (await app.PostSignedAsync(body, deliveryId: "dlv_v2")).ToString().ShouldBe(WebhookApp.Answer(200, "parked"));

        WebhookInboxEntry parked = (await inbox.ListParkedAsync(10, WebhookApp.Ct)).ShouldHaveSingleItem();
        parked.Body.ToArray().ShouldBe(body);
        parked.DeliveryId.ShouldBe("dlv_v2");
        parked.State.ShouldBe(WebhookInboxState.Parked);
        parked.LastError.ShouldNotBeNullOrEmpty();
        calls.Counts.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_handler_that_always_fails_parks_its_event_after_MaxAttempts_and_a_requeue_after_the_fix_handles_it_once()
    {
        HandlerCalls calls = new();
        bool fixedYet = false;
        calls.Behavior = (_, _, _) => fixedYet ? Task.CompletedTask : throw new InvalidOperationException("the shop's database says no");
        RecordingInbox inbox = new(new InMemoryWebhookInbox());
        await using WebhookApp app = await StartAsync(calls, inbox, o =>
        {
            o.MaxAttempts = 3;
            o.FirstRetryDelay = TimeSpan.FromMilliseconds(1);
            o.MaxRetryDelay = TimeSpan.FromMilliseconds(1);
            o.PollInterval = TimeSpan.FromMilliseconds(10);
        });

        (await app.PostSignedAsync(Event("evt_poison"))).ToString().ShouldBe(WebhookApp.Answer(200, "queued"));
        (string Key, DateTimeOffset? RetryAt, string Error)[] failures = [await inbox.NextFailedAsync(), await inbox.NextFailedAsync(), await inbox.NextFailedAsync()];

        failures.Select(f => f.Key).ShouldAllBe(k => k == "default:evt_poison");
        failures.Select(f => f.RetryAt is null).ShouldBe([false, false, true], "retried twice, then parked");
        failures.Select(f => f.Error).ShouldAllBe(e => e == nameof(InvalidOperationException));
        calls.Counts["evt_poison"].ShouldBe(3);
        WebhookInboxEntry parked = (await inbox.ListParkedAsync(10, WebhookApp.Ct)).ShouldHaveSingleItem();
        parked.Attempts.ShouldBe(3);
        parked.LastError.ShouldBe(nameof(InvalidOperationException));

        fixedYet = true;
        (await inbox.RequeueAsync("default:evt_poison", WebhookApp.Ct)).ShouldBeTrue();
        (await inbox.NextCompletedAsync()).ShouldBe("default:evt_poison");

        calls.Counts["evt_poison"].ShouldBe(4, "three failed runs, then one that succeeded");
        (await inbox.ListParkedAsync(10, WebhookApp.Ct)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(1, 0.0, 10.0)]
    [InlineData(2, 0.0, 20.0)]
    [InlineData(5, 0.0, 160.0)]
    [InlineData(7, 0.0, 600.0)] // 640 s, capped at MaxRetryDelay
    [InlineData(2, 0.5, 15.0)] // jitter takes off up to half
    [InlineData(7, 1.0, 300.0)]
    public void The_wait_after_a_failed_run_doubles_from_the_first_delay_up_to_the_cap_less_its_jitter(int attempt, double jitter, double seconds)
    {
        KobbopayWebhookQueueOptions options = new() { MaxAttempts = 8, FirstRetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromMinutes(10) };

        KobbopayWebhookRetrySchedule.Delay(attempt, options, jitter).ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public void After_the_last_attempt_there_is_no_wait_the_event_is_parked()
    {
        KobbopayWebhookQueueOptions options = new() { MaxAttempts = 8 };

        KobbopayWebhookRetrySchedule.Delay(8, options, 0).ShouldBeNull();
        KobbopayWebhookRetrySchedule.Delay(9, options, 0).ShouldBeNull();
    }

    [Fact]
    public async Task Invalid_queue_options_stop_the_app_with_messages_naming_each_setting()
    {
        OptionsValidationException error = await Should.ThrowAsync<OptionsValidationException>(() => StartAsync(new HandlerCalls(), Unused, o =>
        {
            o.MaxAttempts = 0;
            o.FirstRetryDelay = TimeSpan.FromHours(2);
            o.MaxRetryDelay = TimeSpan.FromHours(1);
        }));

        error.Message.ShouldContain("Kobbopay:Webhooks:Queue:MaxAttempts must be between 1 and 100");
        error.Message.ShouldContain("Kobbopay:Webhooks:Queue:FirstRetryDelay (02:00:00) must not be longer than Kobbopay:Webhooks:Queue:MaxRetryDelay (01:00:00)");
    }

    private static Task<WebhookApp> StartAsync(HandlerCalls calls, RecordingInbox inbox, Action<KobbopayWebhookQueueOptions>? queue = null) =>
        WebhookApp.StartAsync(calls, w => w.AddHandler<CatchAllHandler>().UseQueuedProcessing(queue).UseInbox(_ => inbox));
}
