using System.Collections.Concurrent;

namespace Kobbopay.Webhooks.Tests.Conformance;

/// <summary>
/// The behaviour every <see cref="IWebhookInbox"/> must have, written once: the in-memory, SQLite and PostgreSQL inboxes
/// each derive from this class and say how to create an empty inbox that reads time from the clock given.
/// </summary>
public abstract class WebhookInboxConformanceTests : IAsyncDisposable
{
    private readonly List<IWebhookInbox> _inboxes = [];

    /// <summary>Gets the clock the inboxes read.</summary>
    protected FakeTimeProvider Clock { get; } = new();

    [Fact]
    public async Task An_enqueued_event_is_claimed_once_with_its_raw_bytes_and_an_attempt_counted()
    {
        IWebhookInbox inbox = await NewInboxAsync();

        (await inbox.EnqueueAsync("default:evt_1", Body, "dlv_1", null, Ct)).ShouldBeTrue();
        IReadOnlyList<WebhookInboxEntry> claimed = await inbox.ClaimAsync(10, Lease, Ct);

        WebhookInboxEntry entry = claimed.ShouldHaveSingleItem();
        entry.Key.ShouldBe("default:evt_1");
        entry.Body.ToArray().ShouldBe(Body);
        entry.DeliveryId.ShouldBe("dlv_1");
        entry.State.ShouldBe(WebhookInboxState.Pending);
        entry.Attempts.ShouldBe(1);
        entry.ReceivedAt.ShouldBe(Clock.GetUtcNow());
        entry.LeaseId.ShouldNotBe(Guid.Empty);
        (await inbox.ClaimAsync(10, Lease, Ct)).ShouldBeEmpty("the claim's lease is live");
    }

    [Theory]
    [InlineData(WebhookInboxState.Pending)]
    [InlineData(WebhookInboxState.Completed)]
    [InlineData(WebhookInboxState.Parked)]
    public async Task Enqueueing_a_key_already_in_the_inbox_adds_nothing(WebhookInboxState state)
    {
        IWebhookInbox inbox = await NewInboxAsync();
        await inbox.EnqueueAsync("default:evt_1", Body, null, state == WebhookInboxState.Parked ? "not an event" : null, Ct);
        if (state == WebhookInboxState.Completed)
        {
            WebhookInboxEntry claimed = (await inbox.ClaimAsync(1, Lease, Ct)).ShouldHaveSingleItem();
            (await inbox.CompleteAsync(claimed.Key, claimed.LeaseId, Ct)).ShouldBeTrue();
        }

        (await inbox.EnqueueAsync("default:evt_1", "{}"u8.ToArray(), "dlv_2", null, Ct)).ShouldBeFalse();

        (await inbox.ClaimAsync(10, Lease, Ct)).Count.ShouldBe(state == WebhookInboxState.Pending ? 1 : 0);
    }

    [Fact]
    public async Task A_completed_event_is_never_claimed_again()
    {
        IWebhookInbox inbox = await NewInboxAsync();
        await inbox.EnqueueAsync("default:evt_1", Body, null, null, Ct);
        WebhookInboxEntry claimed = (await inbox.ClaimAsync(1, Lease, Ct)).ShouldHaveSingleItem();

        (await inbox.CompleteAsync(claimed.Key, claimed.LeaseId, Ct)).ShouldBeTrue();
        Clock.Advance(TimeSpan.FromDays(1));

        (await inbox.ClaimAsync(10, Lease, Ct)).ShouldBeEmpty();
        (await inbox.CompleteAsync(claimed.Key, claimed.LeaseId, Ct)).ShouldBeFalse("completed already");
    }

    [Fact]
    public async Task A_claim_whose_lease_lapsed_is_claimed_again_and_the_first_claim_can_no_longer_settle()
    {
        IWebhookInbox inbox = await NewInboxAsync();
        await inbox.EnqueueAsync("default:evt_1", Body, null, null, Ct);
        WebhookInboxEntry first = (await inbox.ClaimAsync(1, Lease, Ct)).ShouldHaveSingleItem();

        Clock.Advance(Lease - TimeSpan.FromSeconds(1));
        (await inbox.ClaimAsync(1, Lease, Ct)).ShouldBeEmpty();
        Clock.Advance(TimeSpan.FromSeconds(1));
        WebhookInboxEntry second = (await inbox.ClaimAsync(1, Lease, Ct)).ShouldHaveSingleItem();

        second.Attempts.ShouldBe(2);
        second.LeaseId.ShouldNotBe(first.LeaseId);
        (await inbox.CompleteAsync(first.Key, first.LeaseId, Ct)).ShouldBeFalse();
        (await inbox.FailAsync(first.Key, first.LeaseId, null, "late", Ct)).ShouldBeFalse();
        (await inbox.CompleteAsync(second.Key, second.LeaseId, Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_failed_event_is_due_again_at_its_retry_time_with_its_error_kept()
    {
        IWebhookInbox inbox = await NewInboxAsync();
        await inbox.EnqueueAsync("default:evt_1", Body, null, null, Ct);
        WebhookInboxEntry claimed = (await inbox.ClaimAsync(1, Lease, Ct)).ShouldHaveSingleItem();
        DateTimeOffset retryAt = Clock.GetUtcNow() + TimeSpan.FromSeconds(30);

        (await inbox.FailAsync(claimed.Key, claimed.LeaseId, retryAt, "TimeoutException", Ct)).ShouldBeTrue();

        Clock.Advance(TimeSpan.FromSeconds(29));
        (await inbox.ClaimAsync(1, Lease, Ct)).ShouldBeEmpty();
        Clock.Advance(TimeSpan.FromSeconds(1));
        WebhookInboxEntry again = (await inbox.ClaimAsync(1, Lease, Ct)).ShouldHaveSingleItem();
        again.Attempts.ShouldBe(2);
        again.LastError.ShouldBe("TimeoutException");
        again.NextAttemptAt.ShouldBe(retryAt);
    }

    [Fact]
    public async Task A_parked_event_is_listed_with_its_bytes_and_reason_and_never_claimed()
    {
        IWebhookInbox inbox = await NewInboxAsync();
        await inbox.EnqueueAsync("default:evt_1", Body, "dlv_1", null, Ct);
        WebhookInboxEntry claimed = (await inbox.ClaimAsync(1, Lease, Ct)).ShouldHaveSingleItem();
        (await inbox.FailAsync(claimed.Key, claimed.LeaseId, null, "InvalidOperationException", Ct)).ShouldBeTrue();
        Clock.Advance(TimeSpan.FromSeconds(1));
        await inbox.EnqueueAsync("default:unparsed:ab12", "not json"u8.ToArray(), null, "Not an event envelope.", Ct);

        Clock.Advance(TimeSpan.FromDays(30));
        (await inbox.ClaimAsync(10, Lease, Ct)).ShouldBeEmpty();
        IReadOnlyList<WebhookInboxEntry> parked = await inbox.ListParkedAsync(10, Ct);

        parked.Select(p => p.Key).ShouldBe(["default:evt_1", "default:unparsed:ab12"]);
        parked[0].State.ShouldBe(WebhookInboxState.Parked);
        parked[0].Body.ToArray().ShouldBe(Body);
        parked[0].DeliveryId.ShouldBe("dlv_1");
        parked[0].Attempts.ShouldBe(1);
        parked[0].LastError.ShouldBe("InvalidOperationException");
        parked[1].Body.ToArray().ShouldBe("not json"u8.ToArray());
        parked[1].Attempts.ShouldBe(0);
        parked[1].LastError.ShouldBe("Not an event envelope.");
        (await inbox.ListParkedAsync(1, Ct)).ShouldHaveSingleItem().Key.ShouldBe("default:evt_1");
    }

    [Fact]
    public async Task A_requeued_event_is_claimed_at_once_with_its_attempts_reset()
    {
        IWebhookInbox inbox = await NewInboxAsync();
        await inbox.EnqueueAsync("default:evt_1", Body, null, "Not an event envelope.", Ct);

        (await inbox.RequeueAsync("default:evt_1", Ct)).ShouldBeTrue();
        (await inbox.RequeueAsync("default:evt_1", Ct)).ShouldBeFalse("not parked any more");
        (await inbox.RequeueAsync("default:evt_missing", Ct)).ShouldBeFalse();

        WebhookInboxEntry claimed = (await inbox.ClaimAsync(1, Lease, Ct)).ShouldHaveSingleItem();
        claimed.Attempts.ShouldBe(1);
        (await inbox.ListParkedAsync(10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Discard_removes_a_parked_event_only()
    {
        IWebhookInbox inbox = await NewInboxAsync();
        await inbox.EnqueueAsync("default:evt_parked", Body, null, "Not an event envelope.", Ct);
        await inbox.EnqueueAsync("default:evt_pending", Body, null, null, Ct);

        (await inbox.DiscardAsync("default:evt_pending", Ct)).ShouldBeFalse();
        (await inbox.DiscardAsync("default:evt_parked", Ct)).ShouldBeTrue();
        (await inbox.DiscardAsync("default:evt_parked", Ct)).ShouldBeFalse();

        (await inbox.ListParkedAsync(10, Ct)).ShouldBeEmpty();
        (await inbox.ClaimAsync(10, Lease, Ct)).ShouldHaveSingleItem().Key.ShouldBe("default:evt_pending");
    }

    [Fact]
    public async Task Claims_take_the_oldest_due_events_first_up_to_the_count()
    {
        IWebhookInbox inbox = await NewInboxAsync();
        for (int i = 0; i < 5; i++)
        {
            await inbox.EnqueueAsync($"default:evt_{i}", Body, null, null, Ct);
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        (await inbox.ClaimAsync(3, Lease, Ct)).Select(e => e.Key).ShouldBe(["default:evt_0", "default:evt_1", "default:evt_2"]);
        (await inbox.ClaimAsync(3, Lease, Ct)).Select(e => e.Key).ShouldBe(["default:evt_3", "default:evt_4"]);
    }

    [Fact]
    public async Task Purge_removes_only_events_completed_before_the_cutoff()
    {
        IWebhookInbox inbox = await NewInboxAsync();
        await inbox.EnqueueAsync("default:evt_done", Body, null, null, Ct);
        await inbox.EnqueueAsync("default:evt_parked", Body, null, "Not an event envelope.", Ct);
        WebhookInboxEntry claimed = (await inbox.ClaimAsync(1, Lease, Ct)).ShouldHaveSingleItem();
        await inbox.CompleteAsync(claimed.Key, claimed.LeaseId, Ct);
        await inbox.EnqueueAsync("default:evt_pending", Body, null, null, Ct);
        Clock.Advance(TimeSpan.FromDays(5));

        (await inbox.PurgeAsync(Clock.GetUtcNow(), Ct)).ShouldBe(1);

        (await inbox.EnqueueAsync("default:evt_done", Body, null, null, Ct)).ShouldBeTrue("its record is gone");
        (await inbox.ListParkedAsync(10, Ct)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Concurrent_claims_hand_each_event_to_one_claimer()
    {
        const int Events = 500;
        IWebhookInbox inbox = await NewInboxAsync();
        for (int i = 0; i < Events; i++)
        {
            await inbox.EnqueueAsync($"default:evt_{i}", Body, null, null, Ct);
        }

        ConcurrentDictionary<string, int> claims = new();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(
            async () =>
            {
                while ((await inbox.ClaimAsync(7, Lease, Ct)) is { Count: > 0 } batch)
                {
                    foreach (WebhookInboxEntry entry in batch)
                    {
                        claims.AddOrUpdate(entry.Key, 1, (_, n) => n + 1);
                        (await inbox.CompleteAsync(entry.Key, entry.LeaseId, Ct)).ShouldBeTrue();
                    }
                }
            },
            Ct)));

        claims.Count.ShouldBe(Events);
        claims.Values.ShouldAllBe(n => n == 1);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (IWebhookInbox inbox in _inboxes)
        {
            if (inbox is IAsyncDisposable owned)
            {
                await owned.DisposeAsync();
            }
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Creates an empty inbox that reads time from <paramref name="clock"/>.</summary>
    /// <param name="clock">The test's clock.</param>
    /// <returns>The inbox.</returns>
    protected abstract Task<IWebhookInbox> CreateInboxAsync(FakeTimeProvider clock);

    private static TimeSpan Lease => TimeSpan.FromMinutes(1);

    private static byte[] Body => """{"id":"evt_1","raw":true}"""u8.ToArray();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<IWebhookInbox> NewInboxAsync()
    {
        IWebhookInbox inbox = await CreateInboxAsync(Clock);
        _inboxes.Add(inbox);
        return inbox;
    }
}
