using System.Diagnostics.Metrics;
using Kobbopay.Sdk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kobbopay.Reconciliation.Internal;

/// <summary>
/// Runs <see cref="KobbopayReconciler"/> once per interval, aligned to the clock, under the checkpoint store's lease: at
/// start, then at each multiple of the interval. Under the lease it skips when the checkpoint shows a run already started
/// in the current interval (another instance's), so several instances make one run an interval between them.
/// </summary>
internal sealed partial class ReconciliationService(
    IServiceScopeFactory scopes,
    IReconciliationCheckpointStore store,
    IOptions<KobbopayReconciliationOptions> options,
    TimeProvider timeProvider,
    ILogger<ReconciliationService> logger) : BackgroundService
{
    private static readonly Meter Meter = new(KobbopayReconciler.MeterName);
    private static readonly Counter<long> ExceptionCounter = Meter.CreateCounter<long>("kobbopay.reconciliation.exceptions", unit: "{exception}", description: "Exceptions reported by scheduled runs, by kind.");
    private static readonly Counter<long> RunCounter = Meter.CreateCounter<long>("kobbopay.reconciliation.runs", unit: "{run}", description: "Scheduled runs, by outcome: completed, failed, or skipped (another instance ran or is running).");
    private static readonly Histogram<double> DurationHistogram = Meter.CreateHistogram<double>("kobbopay.reconciliation.duration", unit: "s", description: "Duration of completed scheduled runs.");
    private static readonly Gauge<double> LagGauge = Meter.CreateGauge<double>("kobbopay.reconciliation.lag", unit: "s", description: "How long ago the end of the last completed run's period is: the age of the reconciled truth, as each instance last read it.");

    private readonly KobbopayReconciliationOptions _options = options.Value;

    /// <summary>The outcome of one wake-up.</summary>
    internal enum Outcome
    {
        Completed,
        Failed,
        Skipped,
    }

    /// <summary>Checks, before the host has started, that the app registered what a run needs.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        using (IServiceScope scope = scopes.CreateScope())
        {
            IServiceProviderIsService? known = scope.ServiceProvider.GetService<IServiceProviderIsService>();
            if (known is not null && !known.IsService(typeof(IOrderLedger)))
            {
                throw new InvalidOperationException(
                    "AddKobbopayReconciliation needs the merchant's books: register an IOrderLedger (AddKobbopayReconciliation<TLedger>(), or services.AddScoped<IOrderLedger, YourLedger>()).");
            }

            if (known is not null && !known.IsService(typeof(KobbopayClient)))
            {
                throw new InvalidOperationException("AddKobbopayReconciliation reads the gateway through KobbopayClient: register it with AddKobbopayClient(...).");
            }
        }

        return base.StartAsync(cancellationToken);
    }

    /// <summary>Wakes at start and at each multiple of the interval, until the host stops.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                // The next wake is the next interval after this one started, however long the run took (or if it overran).
                DateTimeOffset next = SlotStart(timeProvider.GetUtcNow()) + _options.Interval;
                await TickAsync(stoppingToken).ConfigureAwait(false);
                TimeSpan wait = next - timeProvider.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, timeProvider, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One wake-up: run when no run started in the current interval and no other instance holds the lease.</summary>
    internal async Task<Outcome> TickAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset startedAt = timeProvider.GetUtcNow();
        Outcome outcome;
        try
        {
            outcome = await RunIfDueAsync(startedAt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRunFailed(logger, e);
            outcome = Outcome.Failed;
        }

        RunCounter.Add(1, new KeyValuePair<string, object?>("outcome", outcome switch
        {
            Outcome.Completed => "completed",
            Outcome.Failed => "failed",
            _ => "skipped",
        }));
        return outcome;
    }

    private async Task<Outcome> RunIfDueAsync(DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        IReconciliationLease? lease = await store.TryAcquireAsync(cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            RecordLag(await store.ReadAsync(cancellationToken).ConfigureAwait(false), startedAt);
            LogSkipped(logger, "another instance holds the lease");
            return Outcome.Skipped;
        }

        await using (lease.ConfigureAwait(false))
        {
            ReconciliationCheckpoint? last = lease.Checkpoint;
            if (last is not null && last.StartedAt >= SlotStart(startedAt))
            {
                RecordLag(last, startedAt);
                LogSkipped(logger, "a run already started in this interval");
                return Outcome.Skipped;
            }

            DateTimeOffset to = startedAt - _options.SettleTime;
            ReconciliationRequest request = new()
            {
                From = to - _options.Lookback,
                To = to,
                FollowEventExport = _options.FollowEventExport,
                EventCheckpoint = last?.EventCheckpoint,
            };

            AsyncServiceScope scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                IServiceProvider services = scope.ServiceProvider;
                KobbopayReconciler reconciler = new(
                    services.GetRequiredService<KobbopayClient>(),
                    services.GetRequiredService<IOrderLedger>(),
                    _options.StatusMapping,
                    timeProvider,
                    services.GetService<ILogger<KobbopayReconciler>>());
                IReconciliationSink sink = services.GetService<IReconciliationSink>()
                    ?? new LoggingReconciliationSink(services.GetRequiredService<ILogger<LoggingReconciliationSink>>());
                ReconciliationSummary summary = await reconciler.RunAsync(request, new CountingSink(sink), cancellationToken).ConfigureAwait(false);

                ReconciliationCheckpoint next = new(summary.EventCheckpoint ?? last?.EventCheckpoint, to, startedAt, summary.CompletedAt);
                await lease.SaveAsync(next, cancellationToken).ConfigureAwait(false);
                DurationHistogram.Record((summary.CompletedAt - startedAt).TotalSeconds);
                RecordLag(next, timeProvider.GetUtcNow());
                return Outcome.Completed;
            }
        }
    }

    /// <summary>The start of the interval <paramref name="time"/> is in: intervals are counted from the Unix epoch.</summary>
    private DateTimeOffset SlotStart(DateTimeOffset time)
    {
        long ticks = (time - DateTimeOffset.UnixEpoch).Ticks;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks - (ticks % _options.Interval.Ticks));
    }

    private static void RecordLag(ReconciliationCheckpoint? checkpoint, DateTimeOffset now)
    {
        if (checkpoint is not null)
        {
            LagGauge.Record((now - checkpoint.ReconciledThrough).TotalSeconds);
        }
    }

    [LoggerMessage(EventId = 710, Level = LogLevel.Debug, Message = "Kobbopay reconciliation skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string reason);

    [LoggerMessage(EventId = 711, Level = LogLevel.Error, Message = "Kobbopay scheduled reconciliation failed; the checkpoint stands and the next interval runs again")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);

    /// <summary>Counts each exception by kind on its way to the merchant's sink.</summary>
    private sealed class CountingSink(IReconciliationSink inner) : IReconciliationSink
    {
        public ValueTask WriteAsync(ReconciliationDiscrepancy exception, CancellationToken cancellationToken)
        {
            ExceptionCounter.Add(1, new KeyValuePair<string, object?>("kind", exception.Kind));
            return inner.WriteAsync(exception, cancellationToken);
        }

        public ValueTask CompleteAsync(ReconciliationSummary summary, CancellationToken cancellationToken) => inner.CompleteAsync(summary, cancellationToken);
    }
}
