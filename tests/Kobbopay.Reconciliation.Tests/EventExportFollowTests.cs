namespace Kobbopay.Reconciliation.Tests;

/// <summary>The third pass: payments created before the period, checked again when the event export shows them changing.</summary>
public sealed class EventExportFollowTests
{
    [Fact]
    public async Task An_older_payment_that_changes_after_its_period_is_checked_once_from_the_checkpoint()
    {
        await using ReconciliationScene scene = await ReconciliationScene.StartAsync();
        scene.Order("o-old", "paid");
        string paymentId = await scene.PayInAsync("o-old");
        scene.Simulator.Pay(paymentId);
        KobbopayReconciler reconciler = new(scene.Client, scene.Ledger, OrderStatusMapping.Identity, scene.Simulator.Clock);
        ReconciliationSummary first = await reconciler.RunAsync(Request(scene.Start.AddMinutes(-1), scene.Start.AddHours(1), checkpoint: null), new CollectingSink(), Ct);

        // Two days on, the gateway confirms the old payment: outside any later period, the books still say paid.
        scene.Simulator.Clock.Advance(TimeSpan.FromDays(2));
        scene.Simulator.Confirm(paymentId);
        DateTimeOffset from = scene.Start.AddDays(1);
        DateTimeOffset to = scene.Start.AddDays(3);
        CollectingSink notFollowing = new();
        await reconciler.RunAsync(from, to, notFollowing, Ct);
        CollectingSink second = new();
        ReconciliationSummary followed = await reconciler.RunAsync(Request(from, to, first.EventCheckpoint), second, Ct);
        CollectingSink third = new();
        ReconciliationSummary again = await reconciler.RunAsync(Request(from, to, followed.EventCheckpoint), third, Ct);

        Assert.Empty(notFollowing.Exceptions);
        ReconciliationDiscrepancy found = Assert.Single(second.Exceptions);
        Assert.Equal((ReconciliationKinds.StatusMismatch, "o-old", "paid", "confirmed"), (found.Kind, found.OrderId, found.Expected, found.Actual));
        Assert.Equal(["payment.created", "payment.paid", "payment.confirmed"], found.History.Select(e => e.Type).ToArray());
        Assert.Equal((0L, 0L, 1L), (followed.OrdersChecked, followed.PaymentsChecked, followed.ChangedPaymentsChecked));
        Assert.Empty(third.Exceptions);
        Assert.Equal(0L, again.ChangedPaymentsChecked);
        Assert.NotEqual(first.EventCheckpoint, followed.EventCheckpoint);
    }

    [Fact]
    public async Task A_payment_of_the_period_is_not_checked_twice_by_the_export_pass()
    {
        await using ReconciliationScene scene = await ReconciliationScene.StartAsync();
        scene.Order("o-new", "paid", amount: 12m);
        scene.Simulator.Pay(await scene.PayInAsync("o-new", amount: 12m), 5m);
        KobbopayReconciler reconciler = new(scene.Client, scene.Ledger, OrderStatusMapping.Identity, scene.Simulator.Clock);
        CollectingSink sink = new();

        ReconciliationSummary summary = await reconciler.RunAsync(Request(scene.Start.AddMinutes(-1), scene.Start.AddHours(1), checkpoint: null), sink, Ct);

        Assert.Equal([ReconciliationKinds.StatusMismatch], sink.Exceptions.Select(e => e.Kind).ToArray());
        Assert.Equal((1L, 1L, 0L), (summary.OrdersChecked, summary.PaymentsChecked, summary.ChangedPaymentsChecked));
        Assert.False(string.IsNullOrEmpty(summary.EventCheckpoint));
        Assert.Null((await reconciler.RunAsync(scene.Start.AddMinutes(-1), scene.Start.AddHours(1), new CollectingSink(), Ct)).EventCheckpoint);
    }

    [Fact]
    public async Task A_checkpoint_no_run_returned_is_refused_naming_the_setting()
    {
        await using ReconciliationScene scene = await ReconciliationScene.StartAsync();
        KobbopayReconciler reconciler = new(scene.Client, scene.Ledger, OrderStatusMapping.Identity, scene.Simulator.Clock);
        CollectingSink sink = new();

        ArgumentException refused = await Assert.ThrowsAsync<ArgumentException>(
            () => reconciler.RunAsync(Request(scene.Start, scene.Start.AddHours(1), "resume.not.a~checkpoint"), sink, Ct));

        Assert.Equal("ReconciliationRequest.EventCheckpoint is not a checkpoint a reconciliation returned. (Parameter 'request')", refused.Message);
        Assert.Null(sink.Summary);
    }

    private static ReconciliationRequest Request(DateTimeOffset from, DateTimeOffset to, string? checkpoint) =>
        new() { From = from, To = to, FollowEventExport = true, EventCheckpoint = checkpoint };
}
