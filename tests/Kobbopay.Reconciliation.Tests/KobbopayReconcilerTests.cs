namespace Kobbopay.Reconciliation.Tests;

public sealed class KobbopayReconcilerTests
{
    [Fact]
    public async Task Orders_that_match_the_gateway_raise_no_exception()
    {
        await using ReconciliationScene scene = await ReconciliationScene.StartAsync();
        // The merchant's own status names, under an explicit mapping.
        OrderStatusMapping mapping = new("shop-2026-12", new Dictionary<string, PaymentStatus>
        {
            ["awaiting"] = PaymentStatus.Pending,
            ["funded"] = PaymentStatus.Paid,
            ["done"] = PaymentStatus.Confirmed,
            ["lapsed"] = PaymentStatus.Expired,
        });

        string expired = await scene.PayInAsync("o-lapsed");
        scene.Order("o-lapsed", "lapsed");
        scene.Simulator.Clock.Advance(TimeSpan.FromMinutes(16));

        scene.Order("o-confirmed", "done");
        string confirmed = await scene.PayInAsync("o-confirmed");
        scene.Simulator.Pay(confirmed);
        scene.Simulator.Confirm(confirmed);

        scene.Order("o-partial-then-full", "done");
        string partialThenFull = await scene.PayInAsync("o-partial-then-full");
        scene.Simulator.Pay(partialThenFull, 4m);
        scene.Simulator.Pay(partialThenFull, 6.50m);
        scene.Simulator.Confirm(partialThenFull);

        scene.Order("o-paid", "funded");
        scene.Simulator.Pay(await scene.PayInAsync("o-paid"));

        scene.Order("o-awaiting", "awaiting");
        await scene.PayInAsync("o-awaiting");

        // A partial payment still pending, its window open: not an exception yet.
        scene.Order("o-partial-open", "awaiting");
        scene.Simulator.Pay(await scene.PayInAsync("o-partial-open"), 5m);

        CollectingSink sink = await scene.ReconcileAsync(mapping);

        Assert.Empty(sink.Exceptions);
        ReconciliationSummary summary = Assert.IsType<ReconciliationSummary>(sink.Summary);
        Assert.Equal((6L, 6L, 0L, "shop-2026-12"), (summary.OrdersChecked, summary.PaymentsChecked, summary.ExceptionCount, summary.MappingVersion));
        Assert.Empty(summary.ExceptionsByKind);
        Assert.Equal("expired", scene.Simulator.GetPayment(expired).Status);
    }

    [Fact]
    public async Task Each_discrepancy_made_through_the_api_is_reported_with_its_kind()
    {
        await using ReconciliationScene scene = await ReconciliationScene.StartAsync();

        // Windows that close: an underpayment left to expire, and funds that arrive after expiry.
        scene.Order("o-under", "expired");
        scene.Simulator.Pay(await scene.PayInAsync("o-under"), 4m);
        scene.Order("o-late", "expired");
        string late = await scene.PayInAsync("o-late");
        scene.Simulator.Clock.Advance(TimeSpan.FromMinutes(16));
        // Late and short: reported as a late payment, for review, and not a second time as an amount mismatch.
        scene.Simulator.Pay(late, 6m);

        scene.Order("o-missing", "pending");
        await scene.PayInAsync("o-orphan");
        scene.Order("o-dup", "pending");
        await scene.PayInAsync("o-dup");
        await scene.PayInAsync("o-dup");
        scene.Order("o-status", "pending");
        string status = await scene.PayInAsync("o-status");
        scene.Simulator.Pay(status);
        scene.Simulator.Confirm(status);
        scene.Order("o-over", "paid");
        scene.Simulator.Pay(await scene.PayInAsync("o-over"), 12m);
        scene.Order("o-currency", "pending", currency: "USDC");
        await scene.PayInAsync("o-currency");
        scene.Order("o-unmapped", "shipped");
        string unmapped = await scene.PayInAsync("o-unmapped");
        scene.Simulator.Pay(unmapped);
        scene.Simulator.Confirm(unmapped);

        CollectingSink sink = await scene.ReconcileAsync();

        Assert.Equal(
            [
                ("amount_mismatch", "o-over"),
                ("amount_mismatch", "o-under"),
                ("currency_mismatch", "o-currency"),
                ("duplicate_payment", "o-dup"),
                ("late_payment", "o-late"),
                ("missing_payment", "o-missing"),
                ("orphan_payment", "o-orphan"),
                ("status_mismatch", "o-status"),
                ("unmapped_status", "o-unmapped"),
            ],
            sink.Exceptions.Select(e => (e.Kind, e.OrderId)).Order().ToArray());
        ReconciliationSummary summary = Assert.IsType<ReconciliationSummary>(sink.Summary);
        Assert.Equal((8L, 9L, 9L), (summary.OrdersChecked, summary.PaymentsChecked, summary.ExceptionCount));
        Assert.Equal(2, summary.ExceptionsByKind["amount_mismatch"]);
        Assert.Equal(ReconciliationKinds.LatePayment, Find(sink, "o-late").Kind);
    }

    [Theory]
    [InlineData("o-under", "10.50", "4", "expired")]
    [InlineData("o-over", "10.50", "12", "paid")]
    public async Task An_amount_mismatch_carries_the_order_amount_and_what_was_received(string orderId, string expected, string actual, string status)
    {
        await using ReconciliationScene scene = await ReconciliationScene.StartAsync();
        scene.Order(orderId, status);
        string payment = await scene.PayInAsync(orderId);
        scene.Simulator.Pay(payment, decimal.Parse(actual, System.Globalization.CultureInfo.InvariantCulture));
        // The underpayment's window closes: it expires with what it received.
        scene.Simulator.Clock.Advance(orderId == "o-under" ? TimeSpan.FromMinutes(15) : TimeSpan.Zero);

        ReconciliationDiscrepancy found = Assert.Single((await scene.ReconcileAsync()).Exceptions);

        Assert.Equal((ReconciliationKinds.AmountMismatch, expected, actual, payment), (found.Kind, found.Expected, found.Actual, Assert.Single(found.PaymentIds)));
    }

    [Fact]
    public async Task A_late_payment_carries_the_expiry_the_late_funds_and_the_whole_lifecycle()
    {
        await using ReconciliationScene scene = await ReconciliationScene.StartAsync();
        scene.Order("o-late", "expired");
        string late = await scene.PayInAsync("o-late");
        // Another payment's events interleave in the export; they stay out of this one's history.
        scene.Order("o-other", "paid");
        scene.Simulator.Pay(await scene.PayInAsync("o-other"));
        scene.Simulator.Clock.Advance(TimeSpan.FromMinutes(20));
        scene.Simulator.Pay(late);
        DateTimeOffset expiresAt = scene.Start.AddMinutes(15);

        ReconciliationDiscrepancy found = Assert.Single((await scene.ReconcileAsync()).Exceptions);

        Assert.Equal(ReconciliationKinds.LatePayment, found.Kind);
        Assert.Equal((expiresAt, expiresAt.AddMinutes(5)), (DateTimeOffset.Parse(found.Expected!, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(found.Actual!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(
            [(1L, "payment.created", "pending"), (2L, "payment.expired", "expired"), (3L, "payment.late_payment", "expired")],
            found.History.Select(e => (e.Sequence ?? 0, e.Type, e.Status)).ToArray());
        Assert.All(found.History, e => Assert.Equal(late, e.PaymentId));
        Assert.Equal("10.50", found.History[^1].AmountReceived);
    }

    [Fact]
    public async Task A_duplicate_names_every_payment_of_the_order_with_their_histories()
    {
        await using ReconciliationScene scene = await ReconciliationScene.StartAsync();
        scene.Order("o-dup", "paid");
        string first = await scene.PayInAsync("o-dup");
        string second = await scene.PayInAsync("o-dup");
        scene.Simulator.Pay(first);

        ReconciliationDiscrepancy found = Assert.Single((await scene.ReconcileAsync()).Exceptions);

        Assert.Equal((ReconciliationKinds.DuplicatePayment, "1", "2"), (found.Kind, found.Expected, found.Actual));
        Assert.Equal(new[] { first, second }.Order(), found.PaymentIds.Order());
        Assert.Equal(3, found.History.Count);
        Assert.Equal(new[] { first, second }.Order(), found.History.Select(e => e.PaymentId).Distinct().Order());
    }

    [Fact]
    public async Task An_unmapped_status_is_reported_and_not_guessed()
    {
        await using ReconciliationScene scene = await ReconciliationScene.StartAsync();
        scene.Order("o-refunded", "refunded");
        await scene.PayInAsync("o-refunded");

        ReconciliationDiscrepancy found = Assert.Single((await scene.ReconcileAsync()).Exceptions);

        Assert.Equal((ReconciliationKinds.UnmappedStatus, "a status of mapping kobbopay-identity-1", "refunded"), (found.Kind, found.Expected, found.Actual));
    }

    [Fact]
    public async Task Payments_and_orders_outside_the_period_are_not_read()
    {
        await using ReconciliationScene scene = await ReconciliationScene.StartAsync();
        scene.Simulator.Clock.Advance(TimeSpan.FromDays(2));
        scene.Order("o-later", "pending");
        await scene.PayInAsync("o-later");
        await scene.PayInAsync("o-orphan-later");

        CollectingSink sink = await scene.ReconcileAsync();

        Assert.Empty(sink.Exceptions);
        Assert.Equal((0L, 0L), (sink.Summary!.OrdersChecked, sink.Summary.PaymentsChecked));
    }

    [Fact]
    public async Task Progress_is_told_each_count_as_it_rises_and_ends_on_the_summarys_counts()
    {
        await using ReconciliationScene scene = await ReconciliationScene.StartAsync();
        scene.Order("o-paid", "pending");
        await scene.PayInAsync("o-paid");
        scene.Order("o-missing", "pending");
        await scene.PayInAsync("o-orphan");
        ProgressReports progress = [];

        CollectingSink sink = await scene.ReconcileAsync(progress: progress);

        // Orders first, each counted as its check starts; then the gateway's payments, newest first (the orphan).
        Assert.Equal<ReconciliationProgress>([new(1, 0, 0), new(2, 0, 0), new(2, 0, 1), new(2, 1, 1), new(2, 1, 2), new(2, 2, 2)], progress);
        ReconciliationSummary summary = sink.Summary!;
        Assert.Equal(new ReconciliationProgress(summary.OrdersChecked, summary.PaymentsChecked, summary.ExceptionCount), progress[^1]);
    }

    private static ReconciliationDiscrepancy Find(CollectingSink sink, string orderId) => sink.Exceptions.Single(e => e.OrderId == orderId);

    /// <summary>Keeps every report, in order, as it is made (<see cref="Progress{T}"/> would post them elsewhere).</summary>
    private sealed class ProgressReports : List<ReconciliationProgress>, IProgress<ReconciliationProgress>
    {
        public void Report(ReconciliationProgress value) => Add(value);
    }
}
