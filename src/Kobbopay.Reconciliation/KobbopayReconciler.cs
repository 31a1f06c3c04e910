using System.Globalization;
using Kobbopay.Reconciliation.Internal;
using Kobbopay.Sdk;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kobbopay.Reconciliation;

/// <summary>
/// Compares the merchant's books (<see cref="IOrderLedger"/>) with the gateway's payments and reports every exception
/// to an <see cref="IReconciliationSink"/>, for review: nothing is fixed. Both sides are streamed, neither is held whole:
/// pass 1 walks the books' orders of the period and lists each order's payments; pass 2 walks the gateway's payments
/// created in the period and looks each one's order up in the books; with <see cref="ReconciliationRequest.FollowEventExport"/>,
/// pass 3 reads the event export from a saved checkpoint and checks again the older payments that changed. The gateway is
/// the authority on payments. <c>AddKobbopayReconciliation</c> runs it on a schedule.
/// </summary>
public sealed partial class KobbopayReconciler
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> of scheduled reconciliation: <c>kobbopay.reconciliation.exceptions</c> (by kind), <c>.runs</c> (by outcome), <c>.duration</c> and <c>.lag</c>.</summary>
    public const string MeterName = "Kobbopay.Reconciliation";

    private const int PageSize = 100;

    private readonly KobbopayClient _client;
    private readonly IOrderLedger _ledger;
    private readonly OrderStatusMapping _mapping;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly PaymentHistoryReader _history;

    /// <summary>Initializes a new instance of the <see cref="KobbopayReconciler"/> class.</summary>
    /// <param name="client">The gateway client.</param>
    /// <param name="ledger">The merchant's books.</param>
    /// <param name="mapping">How the books' statuses read in the gateway's lifecycle.</param>
    /// <param name="timeProvider">The clock that says whether a payment window has closed; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where runs are logged; <see langword="null"/> for nowhere.</param>
    public KobbopayReconciler(KobbopayClient client, IOrderLedger ledger, OrderStatusMapping mapping, TimeProvider? timeProvider = null, ILogger<KobbopayReconciler>? logger = null)
    {
        _client = Guard.NotNull(client);
        _ledger = Guard.NotNull(ledger);
        _mapping = Guard.NotNull(mapping);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _history = new PaymentHistoryReader(client);
    }

    /// <summary>Reconciles one period and writes each exception to <paramref name="sink"/>, then completes it with the summary.</summary>
    /// <param name="from">The start of the period, inclusive.</param>
    /// <param name="to">The end of the period, exclusive.</param>
    /// <param name="sink">Where exceptions go.</param>
    /// <param name="cancellationToken">Cancels the run; the sink is then not completed.</param>
    /// <returns>What the run did and found.</returns>
    /// <exception cref="ArgumentException"><paramref name="from"/> is not before <paramref name="to"/>.</exception>
    /// <exception cref="KobbopayException">The gateway could not be read; the sink is not completed.</exception>
    public Task<ReconciliationSummary> RunAsync(DateTimeOffset from, DateTimeOffset to, IReconciliationSink sink, CancellationToken cancellationToken = default) =>
        RunAsync(new ReconciliationRequest { From = from, To = to }, sink, cancellationToken);

    /// <summary>
    /// Reconciles one period and, when the request says so, the older payments changed since an event-export checkpoint;
    /// writes each exception to <paramref name="sink"/>, then completes it with the summary (which carries the next checkpoint).
    /// </summary>
    /// <param name="request">The period, and where to follow the event export from.</param>
    /// <param name="sink">Where exceptions go.</param>
    /// <param name="cancellationToken">Cancels the run; the sink is then not completed.</param>
    /// <returns>What the run did and found.</returns>
    /// <exception cref="ArgumentException">The period does not start before it ends, or the checkpoint is not one a run returned.</exception>
    /// <exception cref="KobbopayException">The gateway could not be read; the sink is not completed.</exception>
    public async Task<ReconciliationSummary> RunAsync(ReconciliationRequest request, IReconciliationSink sink, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request);
        Guard.NotNull(sink);
        (DateTimeOffset from, DateTimeOffset to) = (request.From, request.To);
        if (from >= to)
        {
            throw new ArgumentException($"The period must start before it ends; it runs from {from:O} to {to:O}.", nameof(request));
        }

        ExportCheckpoint? checkpoint = null;
        if (request.FollowEventExport)
        {
            checkpoint = string.IsNullOrWhiteSpace(request.EventCheckpoint) ? new ExportCheckpoint(null, null, from)
                : ExportCheckpoint.TryParse(request.EventCheckpoint, out ExportCheckpoint parsed) ? parsed
                : throw new ArgumentException($"{nameof(ReconciliationRequest)}.{nameof(ReconciliationRequest.EventCheckpoint)} is not a checkpoint a reconciliation returned.", nameof(request));
        }

        DateTimeOffset startedAt = _timeProvider.GetUtcNow();
        long started = _timeProvider.GetTimestamp();
        LogRunStarted(_logger, from, to, _mapping.Version);
        ReconciliationRun run = new(sink, request.Progress);

        await foreach (LedgerOrder order in _ledger.GetOrdersAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            run.OrderChecked();
            await CheckOrderAsync(order, run, cancellationToken).ConfigureAwait(false);
        }

        // The list's createdTo is inclusive; the period's end is not.
        PaymentListOptions period = new() { CreatedFrom = from, CreatedTo = to.AddTicks(-1), PageSize = PageSize };
        await foreach (Payment payment in _client.ListPaymentsAsync(period, cancellationToken).ConfigureAwait(false))
        {
            run.PaymentChecked();
            await FindOrderOrReportOrphanAsync(payment, run, cancellationToken).ConfigureAwait(false);
        }

        string? next = checkpoint is null ? null : await CheckChangesAsync(checkpoint, from, run, cancellationToken).ConfigureAwait(false);
        ReconciliationSummary summary = new(
            from, to, _mapping.Version, run.OrdersChecked, run.PaymentsChecked, run.ExceptionCount, run.ByKind, startedAt, _timeProvider.GetUtcNow())
        {
            ChangedPaymentsChecked = run.ChangedPaymentsChecked,
            EventCheckpoint = next,
        };
        await sink.CompleteAsync(summary, cancellationToken).ConfigureAwait(false);
        LogRunCompleted(_logger, run.OrdersChecked, run.PaymentsChecked, run.ExceptionCount, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
        return summary;
    }

    /// <summary>
    /// Pass 3: follows the event export from <paramref name="checkpoint"/> to its end; each payment created before the
    /// period that has an event there is read again and checked with its order (each payment and order once a run; the
    /// payments of the period were checked by passes 1 and 2, newer ones are the next period's).
    /// </summary>
    /// <returns>The checkpoint after the export's last event.</returns>
    private async Task<string> CheckChangesAsync(ExportCheckpoint checkpoint, DateTimeOffset from, ReconciliationRun run, CancellationToken cancellationToken)
    {
        HashSet<string> payments = new(StringComparer.Ordinal);
        HashSet<string> orders = new(StringComparer.Ordinal);
        while (true)
        {
            Page<PaymentEvent> page = await _client.GetEventsPageAsync(checkpoint.ListOptions(PageSize), checkpoint.PageCursor, cancellationToken).ConfigureAwait(false);
            int skip = checkpoint.SkipCount(page.Data, out bool markFound);
            if (!markFound)
            {
                LogCheckpointMarkMissing(_logger, checkpoint.WrittenThrough);
            }

            string? through = checkpoint.WrittenThrough;
            foreach (PaymentEvent e in page.Data.Skip(skip))
            {
                through = ExportCheckpoint.MarkOf(e);
                if (e.Payment is { } snapshot && snapshot.CreatedAt >= from)
                {
                    continue;
                }

                if (!payments.Add(e.PaymentId))
                {
                    continue;
                }

                Payment payment = await _client.GetPaymentAsync(e.PaymentId, cancellationToken).ConfigureAwait(false);
                if (payment.CreatedAt >= from)
                {
                    continue;
                }

                run.ChangedPaymentsChecked++;
                if (await FindOrderOrReportOrphanAsync(payment, run, cancellationToken).ConfigureAwait(false) is { } order && orders.Add(order.OrderId))
                {
                    await CheckOrderAsync(order, run, cancellationToken).ConfigureAwait(false);
                }
            }

            checkpoint = checkpoint.After(page.NextCursor, through);
            if (page.NextCursor is null)
            {
                return checkpoint.ToString();
            }
        }
    }

    /// <summary>Pass 1: one order against its payments.</summary>
    private async Task CheckOrderAsync(LedgerOrder order, ReconciliationRun run, CancellationToken cancellationToken)
    {
        // One order's payments (newest first): a handful, held only while the order is checked.
        List<Payment> payments = [];
        PaymentListOptions byOrder = new() { OrderId = order.OrderId, PageSize = PageSize };
        await foreach (Payment payment in _client.ListPaymentsAsync(byOrder, cancellationToken).ConfigureAwait(false))
        {
            payments.Add(payment);
        }

        OrderHistories histories = new(_history);
        string[] ids = [.. payments.Select(p => p.Id)];
        bool mapped = _mapping.TryMap(order.Status, out PaymentStatus expectedStatus);
        if (!mapped)
        {
            await ReportAsync(ReconciliationKinds.UnmappedStatus, "a status of mapping " + _mapping.Version, order.Status, $"Order {order.OrderId} has the merchant status '{order.Status}', which status mapping {_mapping.Version} does not list; it is not guessed.").ConfigureAwait(false);
        }

        if (payments.Count == 0)
        {
            await ReportAsync(ReconciliationKinds.MissingPayment, "1", "0", $"Order {order.OrderId} ({Money.Format(order.Amount)} {order.Currency}) has no payment at the gateway.").ConfigureAwait(false);
            return;
        }

        if (payments.Count > 1)
        {
            await ReportAsync(ReconciliationKinds.DuplicatePayment, "1", payments.Count.ToString(CultureInfo.InvariantCulture), $"Order {order.OrderId} has {payments.Count} payments.").ConfigureAwait(false);
        }

        // The payment that stands for the order: the one furthest along (confirmed, paid, pending, then the rest), the newest of those.
        Payment primary = payments.OrderByDescending(Progress).First();
        bool primaryLate = false;
        foreach (Payment payment in payments)
        {
            if (await FindLatePaymentAsync(payment, histories, cancellationToken).ConfigureAwait(false) is { } lateEvent)
            {
                primaryLate |= payment == primary;
                await ReportAsync(
                    ReconciliationKinds.LatePayment,
                    Timestamp(payment.ExpiresAt),
                    Timestamp(lateEvent.CreatedAt),
                    $"Payment {payment.Id} of order {order.OrderId} received funds ({Money.Format(payment.AmountReceived)} {payment.Currency}) after it expired at {Timestamp(payment.ExpiresAt)}: review it by hand.",
                    payment).ConfigureAwait(false);
            }
        }

        if (mapped && primary.Status != expectedStatus)
        {
            await ReportAsync(ReconciliationKinds.StatusMismatch, expectedStatus.Value, primary.Status.Value, $"Order {order.OrderId} is '{order.Status}' ({expectedStatus} under mapping {_mapping.Version}) in the books; payment {primary.Id} is {primary.Status} at the gateway.", primary).ConfigureAwait(false);
        }

        if (!string.Equals(order.Currency, primary.Currency, StringComparison.OrdinalIgnoreCase))
        {
            await ReportAsync(ReconciliationKinds.CurrencyMismatch, order.Currency, primary.Currency, $"Order {order.OrderId} is priced in {order.Currency}; payment {primary.Id} is in {primary.Currency}.", primary).ConfigureAwait(false);
        }
        else if (!primaryLate && AmountDiffers(order, primary, _timeProvider.GetUtcNow()))
        {
            string received = Money.Format(primary.AmountReceived ?? 0m);
            await ReportAsync(ReconciliationKinds.AmountMismatch, Money.Format(order.Amount), received, $"Order {order.OrderId} is for {Money.Format(order.Amount)} {order.Currency}; payment {primary.Id} ({primary.Status}) received {received}.", primary).ConfigureAwait(false);
        }

        async Task ReportAsync(string kind, string? expected, string? actual, string detail, Payment? only = null)
        {
            IReadOnlyList<Payment> concerned = only is null ? payments : [only];
            ReconciliationDiscrepancy discrepancy = new(
                kind, order.OrderId, only is null ? ids : [only.Id], expected, actual, detail, await histories.OfAsync(concerned, cancellationToken).ConfigureAwait(false));
            await run.ReportAsync(discrepancy, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Pass 2 (and 3): a payment must name an order the books have; reports an orphan otherwise.</summary>
    /// <returns>The payment's order, or <see langword="null"/> when it is an orphan.</returns>
    private async Task<LedgerOrder?> FindOrderOrReportOrphanAsync(Payment payment, ReconciliationRun run, CancellationToken cancellationToken)
    {
        string? orderId = string.IsNullOrEmpty(payment.OrderId) ? null : payment.OrderId;
        if (orderId is not null && await _ledger.FindOrderAsync(orderId, cancellationToken).ConfigureAwait(false) is { } order)
        {
            return order;
        }

        string detail = orderId is null
            ? $"Payment {payment.Id} ({Money.Format(payment.Amount)} {payment.Currency}, {payment.Status}) names no order."
            : $"Payment {payment.Id} ({Money.Format(payment.Amount)} {payment.Currency}, {payment.Status}) names order {orderId}, which the books do not have.";
        IReadOnlyList<PaymentHistoryEntry> history = await _history.ReadAsync(payment, cancellationToken).ConfigureAwait(false);
        await run.ReportAsync(
            new ReconciliationDiscrepancy(ReconciliationKinds.OrphanPayment, orderId, [payment.Id], "an order in the books", orderId is null ? "no orderId" : "no such order", detail, history),
            cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>The <c>payment.late_payment</c> event of an expired payment that holds funds, if there is one.</summary>
    private static async Task<PaymentHistoryEntry?> FindLatePaymentAsync(Payment payment, OrderHistories histories, CancellationToken cancellationToken)
    {
        if (payment.Status != PaymentStatus.Expired || payment.AmountReceived is not > 0m)
        {
            return null;
        }

        IReadOnlyList<PaymentHistoryEntry> history = await histories.OfAsync([payment], cancellationToken).ConfigureAwait(false);
        return history.FirstOrDefault(e => e.Type == PaymentEventType.LatePayment.Value);
    }

    /// <summary>
    /// Whether what the payment received differs from the order: for a paid or confirmed payment always; for an
    /// expired one when anything arrived; for a pending one only once its window has closed (a partial payment still
    /// pending may yet be completed). A status this SDK does not know is left to the status check.
    /// </summary>
    private static bool AmountDiffers(LedgerOrder order, Payment payment, DateTimeOffset now)
    {
        decimal received = payment.AmountReceived ?? 0m;
        if (payment.Status == PaymentStatus.Paid || payment.Status == PaymentStatus.Confirmed)
        {
            return received != order.Amount;
        }

        bool settled = payment.Status == PaymentStatus.Expired || (payment.Status == PaymentStatus.Pending && now >= payment.ExpiresAt);
        return settled && received > 0m && received != order.Amount;
    }

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static int Progress(Payment payment) =>
        payment.Status == PaymentStatus.Confirmed ? 3
        : payment.Status == PaymentStatus.Paid ? 2
        : payment.Status == PaymentStatus.Pending ? 1
        : 0;

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Kobbopay reconciliation started for {From:O} to {To:O} with status mapping {MappingVersion}")]
    private static partial void LogRunStarted(ILogger logger, DateTimeOffset from, DateTimeOffset to, string mappingVersion);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Kobbopay reconciliation completed: {OrdersChecked} orders, {PaymentsChecked} payments, {ExceptionCount} exceptions in {ElapsedMilliseconds:F0} ms")]
    private static partial void LogRunCompleted(ILogger logger, long ordersChecked, long paymentsChecked, long exceptionCount, double elapsedMilliseconds);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Kobbopay reconciliation: the event {Mark} the checkpoint was taken after is not on the page its cursor points to; the whole page is checked again")]
    private static partial void LogCheckpointMarkMissing(ILogger logger, string? mark);
}
