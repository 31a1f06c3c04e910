using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Kobbopay.Contracts;

namespace Kobbopay.Simulator.Internal;

/// <summary>The input of a create, already validated.</summary>
internal sealed record CreatePaymentInput(
    decimal Amount,
    SimulatorRail Rail,
    string OrderId,
    IReadOnlyDictionary<string, string>? Metadata,
    TimeSpan Window);

/// <summary>A payments list query, validated.</summary>
internal sealed record PaymentQuery(string? OrderId, string? Status, DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo, int Limit, long? After);

/// <summary>An events list query, validated.</summary>
internal sealed record EventQuery(string? Type, DateTimeOffset? CreatedFrom, int Limit, long? After);

/// <summary>
/// The lifecycle engine: holds every environment's payments and events, applies transitions and
/// runs expiries on the simulator's clock. One lock guards it all; every operation is short.
/// </summary>
internal sealed partial class PaymentEngine
{
    private readonly Lock _gate = new();

    // The earliest expiry or chain step queued (ticks), read without the lock so that a request with nothing due
    // (nearly every one) does not contend for it; written under the lock whenever the queues change.
    private long _nextDueTicks = long.MaxValue;
    private readonly SimulatorClock _clock;
    private readonly KobbopaySimulatorOptions _options;
    private readonly Dictionary<string, EnvironmentState> _environments = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, PaymentRecord> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PaymentRecord> _byStatusToken = new(StringComparer.Ordinal);
    // Due times as UTC ticks: 8 bytes a node instead of 16.
    private readonly PriorityQueue<PaymentRecord, long> _expiries = new();
    private readonly PriorityQueue<(PaymentRecord Payment, bool Confirm), long> _chain = new();
    private string _baseAddress = "http://127.0.0.1/";

    public PaymentEngine(KobbopaySimulatorOptions options, SimulatorClock clock)
    {
        _options = options;
        _clock = clock;
        foreach (SimulatorEnvironmentOptions env in options.EffectiveEnvironments())
        {
            IReadOnlyList<SimulatorRail> rails = env.Rails.Count > 0 ? [.. env.Rails] : SimulatorEnvironmentOptions.DefaultRails;
            _environments.Add(env.Name, new EnvironmentState(env.Name, env.IsProduction, rails));
        }

        _clock.Advanced += RunDue;
    }

    public IEnumerable<EnvironmentState> Environments => _environments.Values;

    public int PaymentCount
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>Gets or sets what is told of every event as it happens (the webhook dispatcher); called under the engine's lock, so it must only queue.</summary>
    public Action<string, Func<EventDto>>? EventEmitted { get; set; }

    /// <summary>Forgets every payment and event of every environment (for <c>POST /_sim/reset</c>); rails, keys and the clock stay.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            foreach (EnvironmentState env in _environments.Values)
            {
                env.Payments.Clear();
                env.LatestByOrder.Clear();
                env.Events.Clear();
            }

            _byId.Clear();
            _byStatusToken.Clear();
            _expiries.Clear();
            _chain.Clear();
            NoteNextDueLocked();
        }
    }

    public void SetBaseAddress(Uri baseAddress) => _baseAddress = baseAddress.ToString();

    public EnvironmentState GetEnvironment(string name) => _environments[name];

    /// <summary>Creates a payment and emits <c>payment.created</c>.</summary>
    /// <returns>The payment; <see cref="PaymentRecord.ToCreatedDto"/> is the create's answer, the same every time it is asked.</returns>
    public PaymentRecord Create(EnvironmentState env, CreatePaymentInput input)
    {
        // Random ids are drawn before taking the lock: every request creates under it.
        string id = Wire.NewId(KobbopayPrefixes.Payment);
        string statusToken = Wire.NewId(string.Empty, 32);
        string eventId = Wire.NewId(KobbopayPrefixes.Event);
        lock (_gate)
        {
            DateTimeOffset now = Wire.TruncateToSeconds(_clock.GetUtcNow());
            while (_byId.ContainsKey(id))
            {
                id = Wire.NewId(KobbopayPrefixes.Payment);
            }

            ref int latestOfOrder = ref CollectionsMarshal.GetValueRefOrAddDefault(env.LatestByOrder, input.OrderId, out _);
            PaymentRecord payment = new()
            {
                Ordinal = env.Payments.Count + 1,
                PreviousOfOrder = latestOfOrder,
                Id = id,
                Environment = env,
                Rail = input.Rail,
                Amount = input.Amount,
                OrderId = input.OrderId,
                Metadata = input.Metadata,
                StatusToken = statusToken,
                BaseAddress = _baseAddress,
                CreatedAt = now,
                ExpiresAt = now + input.Window,
            };

            env.Payments.Add(payment);
            latestOfOrder = payment.Ordinal;
            _byId.Add(id, payment);
            _byStatusToken.Add(payment.StatusToken, payment);
            _expiries.Enqueue(payment, payment.ExpiresAt.UtcTicks);
            NoteNextDueLocked(payment.ExpiresAt.UtcTicks);
            if (_options.Chain.PayAfter is { } payAfter)
            {
                _chain.Enqueue((payment, false), (now + payAfter).UtcTicks);
                NoteNextDueLocked((now + payAfter).UtcTicks);
            }

            Emit(payment, null, eventId);
            return payment;
        }
    }

    /// <summary>Finds a payment by id, in any environment.</summary>
    public (PaymentDto Dto, string Environment)? Find(string id)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(id, out PaymentRecord? p) ? (ToDto(p), p.Environment.Name) : null;
        }
    }

    public (PaymentDto Dto, string Environment)? FindByStatusToken(string token)
    {
        lock (_gate)
        {
            return _byStatusToken.TryGetValue(token, out PaymentRecord? p) ? (ToDto(p), p.Environment.Name) : null;
        }
    }

    public SimulatedPayment Snapshot(string id)
    {
        lock (_gate)
        {
            return ToSnapshot(Get(id));
        }
    }

    public SimulatedPayment Pay(string id, decimal? amount, string? txHash)
    {
        if (amount is { } a && a <= 0)
        {
            throw new SimulatorException("invalid_request", "amount must be greater than zero.");
        }

        lock (_gate)
        {
            RunDueLocked(_clock.GetUtcNow());
            PaymentRecord p = Get(id);
            PayLocked(p, amount, txHash, Wire.TruncateToSeconds(_clock.GetUtcNow()));
            return ToSnapshot(p);
        }
    }

    public SimulatedPayment Confirm(string id, int? confirmations)
    {
        int required = _options.RequiredConfirmations;
        if (confirmations is { } c && (c < required || c > 1_000_000))
        {
            throw new SimulatorException("invalid_request", $"confirmations must be between {required} (the required count) and 1000000; it is {c}.");
        }

        lock (_gate)
        {
            RunDueLocked(_clock.GetUtcNow());
            PaymentRecord p = Get(id);
            if (p.Status != PaymentStatuses.Paid)
            {
                throw new SimulatorException("invalid_transition", $"Payment {id} is {p.Status}; only a paid payment can be confirmed.");
            }

            ConfirmLocked(p, confirmations ?? required, Wire.TruncateToSeconds(_clock.GetUtcNow()));
            return ToSnapshot(p);
        }
    }

    public SimulatedPayment Expire(string id)
    {
        lock (_gate)
        {
            RunDueLocked(_clock.GetUtcNow());
            PaymentRecord p = Get(id);
            bool allowed = p.Status == PaymentStatuses.Pending || (p.Status == PaymentStatuses.Paid && _options.AllowPaidToExpire);
            if (!allowed)
            {
                string rule = _options.AllowPaidToExpire ? "only a pending or paid payment can expire" : "only a pending payment can expire (AllowPaidToExpire is off)";
                throw new SimulatorException("invalid_transition", $"Payment {id} is {p.Status}; {rule}.");
            }

            ExpireLocked(p, Wire.TruncateToSeconds(_clock.GetUtcNow()));
            return ToSnapshot(p);
        }
    }

    /// <summary>Expires every pending payment whose window has ended by <paramref name="now"/>.</summary>
    public void RunDue(DateTimeOffset now)
    {
        if (now.UtcTicks < Volatile.Read(ref _nextDueTicks))
        {
            return;
        }

        lock (_gate)
        {
            RunDueLocked(now);
        }
    }

    public (List<PaymentDto> Items, long? NextAfter) ListPayments(EnvironmentState env, PaymentQuery q)
    {
        lock (_gate)
        {
            RunDueLocked(_clock.GetUtcNow());
            // Newest first: walk down from the newest payment, or from just below the cursor; one order's payments
            // along that order's chain, so a list by orderId reads that order's payments and no other.
            int start = q.After is { } after ? (int)Math.Min(after - 2, env.Payments.Count - 1) : env.Payments.Count - 1;
            IEnumerable<int> indices = q.OrderId is null ? Downwards(start) : DownwardsInOrder(env, q.OrderId, start);
            return TakePage(env.Payments, indices, q.Limit, p => Matches(p, q), ToDto);
        }
    }

    public (List<EventDto> Items, long? NextAfter) ListEvents(EnvironmentState env, EventQuery q)
    {
        lock (_gate)
        {
            RunDueLocked(_clock.GetUtcNow());
            // Oldest first: walk up from the oldest event, or from just after the cursor.
            int start = q.After is { } after ? (int)after : 0;
            return TakePage(env.Events, Upwards(start, env.Events.Count), q.Limit, e => Matches(e, q), static e => e.ToDto());
        }
    }

    /// <summary>
    /// Takes up to <paramref name="limit"/> matching records at <paramref name="indices"/>, in that order; the cursor
    /// for the next page is the ordinal (index plus one) of the last one taken, or <see langword="null"/> when no
    /// matching record is left after it.
    /// </summary>
    private static (List<TDto> Items, long? NextAfter) TakePage<TRecord, TDto>(
        List<TRecord> records, IEnumerable<int> indices, int limit, Func<TRecord, bool> matches, Func<TRecord, TDto> toDto)
    {
        List<TDto> items = new(limit);
        long lastOrdinal = 0;
        foreach (int i in indices)
        {
            TRecord record = records[i];
            if (!matches(record))
            {
                continue;
            }

            if (items.Count == limit)
            {
                return (items, lastOrdinal);
            }

            items.Add(toDto(record));
            lastOrdinal = i + 1;
        }

        return (items, null);
    }

    private static IEnumerable<int> Downwards(int from)
    {
        for (int i = from; i >= 0; i--)
        {
            yield return i;
        }
    }

    /// <summary>The indices of one order's payments at or below <paramref name="from"/>, newest first.</summary>
    private static IEnumerable<int> DownwardsInOrder(EnvironmentState env, string orderId, int from)
    {
        for (int ordinal = env.LatestByOrder.GetValueOrDefault(orderId); ordinal > 0; ordinal = env.Payments[ordinal - 1].PreviousOfOrder)
        {
            if (ordinal - 1 <= from)
            {
                yield return ordinal - 1;
            }
        }
    }

    private static IEnumerable<int> Upwards(int from, int count)
    {
        for (int i = from; i < count; i++)
        {
            yield return i;
        }
    }

    private static bool Matches(EventRecord e, EventQuery q) =>
        (q.Type is null || string.Equals(e.Type, q.Type, StringComparison.Ordinal))
        && (q.CreatedFrom is not { } from || e.CreatedAt >= from);

    public long PaymentCountIn(EnvironmentState env)
    {
        lock (_gate)
        {
            return env.Payments.Count;
        }
    }

    public long EventCountIn(EnvironmentState env)
    {
        lock (_gate)
        {
            return env.Events.Count;
        }
    }

    /// <summary>Finds an event by id, in any environment (newest first: a resend is usually of a recent one).</summary>
    /// <returns>The event as it was delivered (the same shape every time) and its environment's name; <see langword="null"/> when no event has that id.</returns>
    public (EventDto Event, string Environment)? FindEvent(string eventId)
    {
        lock (_gate)
        {
            foreach (EnvironmentState env in _environments.Values)
            {
                for (int i = env.Events.Count - 1; i >= 0; i--)
                {
                    if (string.Equals(env.Events[i].Id, eventId, StringComparison.Ordinal))
                    {
                        return (env.Events[i].ToDto(), env.Name);
                    }
                }
            }

            return null;
        }
    }

    private static bool Matches(PaymentRecord p, PaymentQuery q) =>
        (q.OrderId is null || string.Equals(p.OrderId, q.OrderId, StringComparison.Ordinal))
        && (q.Status is null || string.Equals(p.Status, q.Status, StringComparison.Ordinal))
        && (q.CreatedFrom is not { } from || p.CreatedAt >= from)
        && (q.CreatedTo is not { } to || p.CreatedAt <= to);

    private PaymentRecord Get(string id) =>
        _byId.TryGetValue(id, out PaymentRecord? p) ? p : throw new SimulatorException("payment_not_found", $"No payment has the id '{Truncate(id)}'.");

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    /// <summary>Records the earliest due time: recomputed from both queues, or lowered to <paramref name="enqueued"/>.</summary>
    private void NoteNextDueLocked(long? enqueued = null)
    {
        long next = enqueued is { } at
            ? Math.Min(_nextDueTicks, at)
            : Math.Min(_expiries.TryPeek(out _, out long e) ? e : long.MaxValue, _chain.TryPeek(out _, out long c) ? c : long.MaxValue);
        Volatile.Write(ref _nextDueTicks, next);
    }

    private void RunDueLocked(DateTimeOffset now)
    {
        // Expiries and chain steps, in the order they fall due.
        while (true)
        {
            bool expiry = _expiries.TryPeek(out PaymentRecord? p, out long expiryDue) && expiryDue <= now.UtcTicks;
            bool step = _chain.TryPeek(out var chainStep, out long stepDue) && stepDue <= now.UtcTicks;
            if (!expiry && !step)
            {
                NoteNextDueLocked();
                return;
            }

            if (expiry && (!step || expiryDue <= stepDue))
            {
                _expiries.Dequeue();
                if (p!.Status == PaymentStatuses.Pending || (p.Status == PaymentStatuses.Paid && _options.AllowPaidToExpire))
                {
                    ExpireLocked(p, Wire.TruncateToSeconds(Ticks.ToTime(expiryDue)));
                }

                continue;
            }

            _chain.Dequeue();
            DateTimeOffset at = Wire.TruncateToSeconds(Ticks.ToTime(stepDue));
            if (chainStep.Confirm && chainStep.Payment.Status == PaymentStatuses.Paid)
            {
                ConfirmLocked(chainStep.Payment, _options.RequiredConfirmations, at);
            }
            else if (!chainStep.Confirm && chainStep.Payment.Status == PaymentStatuses.Pending)
            {
                PayLocked(chainStep.Payment, null, null, at);
            }
        }
    }

    private void PayLocked(PaymentRecord p, decimal? amount, string? txHash, DateTimeOffset now)
    {
        decimal received = p.AmountReceived ?? 0m;
        decimal arriving = amount ?? Math.Max(p.Amount - received, 0m);
        if (arriving <= 0)
        {
            throw new SimulatorException("invalid_transition", $"Payment {p.Id} is already fully paid; name an amount to send more.");
        }

        PaymentState before = Current(p);
        PaymentState after = Next(before, EventTypes.Updated, now) with
        {
            AmountReceived = received + arriving,
            TxHash = txHash ?? ("0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))),
        };
        switch (before.Status)
        {
            case PaymentStatuses.Pending when after.AmountReceived >= p.Amount:
                Emit(p, after with { EventType = EventTypes.Paid, Status = PaymentStatuses.Paid, PaidAt = now, Confirmations = 0 });
                if (_options.Chain.AutoConfirm)
                {
                    _chain.Enqueue((p, true), (now + (_options.Chain.BlockInterval * _options.RequiredConfirmations)).UtcTicks);
                    NoteNextDueLocked((now + (_options.Chain.BlockInterval * _options.RequiredConfirmations)).UtcTicks);
                }

                break;
            case PaymentStatuses.Expired:
                Emit(p, after with { EventType = EventTypes.LatePayment });
                break;
            default:
                Emit(p, after);
                break;
        }
    }

    private void ConfirmLocked(PaymentRecord p, int confirmations, DateTimeOffset now) =>
        Emit(p, Next(Current(p), EventTypes.Confirmed, now) with
        {
            PreviousStatus = PaymentStatuses.Paid,
            Status = PaymentStatuses.Confirmed,
            Confirmations = confirmations,
            ConfirmedAt = now,
        });

    private void ExpireLocked(PaymentRecord p, DateTimeOffset at) =>
        Emit(p, Next(Current(p), EventTypes.Expired, at) with { Status = PaymentStatuses.Expired, ExpiredAt = at });

    /// <summary>The payment's state now; for a payment nothing happened to yet, the state creation implies.</summary>
    private static PaymentState Current(PaymentRecord p) => p.State ?? new PaymentState
    {
        Sequence = 1,
        EventType = EventTypes.Created,
        PreviousStatus = PaymentStatuses.Pending,
        Status = PaymentStatuses.Pending,
        UpdatedAt = p.CreatedAt,
    };

    /// <summary>The state after one more event of <paramref name="type"/> at <paramref name="at"/>, status unchanged so far.</summary>
    private static PaymentState Next(PaymentState before, string type, DateTimeOffset at) =>
        before with { Sequence = before.Sequence + 1, EventType = type, PreviousStatus = before.Status, UpdatedAt = at };

    /// <summary>Records an event (the state it leaves, or <see langword="null"/> for <c>payment.created</c>) and tells <see cref="EventEmitted"/>.</summary>
    private void Emit(PaymentRecord p, PaymentState? after, string? eventId = null)
    {
        if (after is not null)
        {
            p.State = after;
        }

        EnvironmentState env = p.Environment;
        EventRecord e = new(eventId ?? Wire.NewId(KobbopayPrefixes.Event), p, after);
        env.Events.Add(e);
        EventEmitted?.Invoke(env.Name, e.ToDto); // rendered (under this lock, so in order) only where an endpoint wants it
    }

    private PaymentDto ToDto(PaymentRecord p) => p.ToDto(p.State, _baseAddress);

    private static SimulatedPayment ToSnapshot(PaymentRecord p) => new(
        p.Id, p.Environment.Name, p.Status, p.Amount, p.Currency, p.Network, p.OrderId, p.AmountReceived, p.Confirmations, p.TxHash, p.CreatedAt, p.ExpiresAt, p.LastSequence);
}
