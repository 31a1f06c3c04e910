using System.Security.Cryptography;
using System.Text;
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
internal sealed class PaymentEngine
{
    private readonly Lock _gate = new();
    private readonly SimulatorClock _clock;
    private readonly KobbopaySimulatorOptions _options;
    private readonly Dictionary<string, EnvironmentState> _environments = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, PaymentRecord> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PaymentRecord> _byStatusToken = new(StringComparer.Ordinal);
    private readonly PriorityQueue<PaymentRecord, DateTimeOffset> _expiries = new();
    private readonly PriorityQueue<(PaymentRecord Payment, bool Confirm), DateTimeOffset> _chain = new();
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
    public Action<string, EventDto>? EventEmitted { get; set; }

    /// <summary>Forgets every payment and event of every environment (for <c>POST /_sim/reset</c>); rails, keys and the clock stay.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            foreach (EnvironmentState env in _environments.Values)
            {
                env.Payments.Clear();
                env.Events.Clear();
            }

            _byId.Clear();
            _byStatusToken.Clear();
            _expiries.Clear();
            _chain.Clear();
        }
    }

    public void SetBaseAddress(Uri baseAddress) => _baseAddress = baseAddress.ToString();

    public EnvironmentState GetEnvironment(string name) => _environments[name];

    public PaymentDto Create(EnvironmentState env, CreatePaymentInput input)
    {
        lock (_gate)
        {
            DateTimeOffset now = Wire.TruncateToSeconds(_clock.GetUtcNow());
            string id;
            do
            {
                id = Wire.NewId(KobbopayPrefixes.Payment);
            }
            while (_byId.ContainsKey(id));

            PaymentRecord payment = new()
            {
                Ordinal = env.Payments.Count + 1,
                Id = id,
                Environment = env,
                Amount = input.Amount,
                Currency = input.Rail.Currency,
                Network = input.Rail.Network,
                OrderId = input.OrderId,
                Metadata = input.Metadata,
                Address = "sim1" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..38],
                StatusToken = Wire.NewId(string.Empty, 32),
                CreatedAt = now,
                ExpiresAt = now + input.Window,
                UpdatedAt = now,
            };

            env.Payments.Add(payment);
            _byId.Add(id, payment);
            _byStatusToken.Add(payment.StatusToken, payment);
            _expiries.Enqueue(payment, payment.ExpiresAt);
            if (_options.Chain.PayAfter is { } payAfter)
            {
                _chain.Enqueue((payment, false), now + payAfter);
            }

            Emit(payment, EventTypes.Created, previousStatus: null, now);
            return ToDto(payment);
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
            List<PaymentDto> items = new(q.Limit);
            long lastOrdinal = 0;
            bool more = false;
            // Newest first: walk down from the newest payment, or from just below the cursor.
            int start = q.After is { } after ? (int)Math.Min(after - 2, env.Payments.Count - 1) : env.Payments.Count - 1;
            for (int i = start; i >= 0; i--)
            {
                PaymentRecord p = env.Payments[i];
                if (!Matches(p, q))
                {
                    continue;
                }

                if (items.Count == q.Limit)
                {
                    more = true;
                    break;
                }

                items.Add(ToDto(p));
                lastOrdinal = p.Ordinal;
            }

            return (items, more ? lastOrdinal : null);
        }
    }

    public (List<EventDto> Items, long? NextAfter) ListEvents(EnvironmentState env, EventQuery q)
    {
        lock (_gate)
        {
            RunDueLocked(_clock.GetUtcNow());
            List<EventDto> items = new(q.Limit);
            long lastOrdinal = 0;
            bool more = false;
            // Oldest first: walk up from the oldest event, or from just after the cursor.
            for (int i = q.After is { } after ? (int)after : 0; i < env.Events.Count; i++)
            {
                EventRecord e = env.Events[i];
                if ((q.Type is not null && !string.Equals(e.Dto.Type, q.Type, StringComparison.Ordinal))
                    || (q.CreatedFrom is { } from && e.CreatedAt < from))
                {
                    continue;
                }

                if (items.Count == q.Limit)
                {
                    more = true;
                    break;
                }

                items.Add(e.Dto);
                lastOrdinal = e.Ordinal;
            }

            return (items, more ? lastOrdinal : null);
        }
    }

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

    private static bool Matches(PaymentRecord p, PaymentQuery q) =>
        (q.OrderId is null || string.Equals(p.OrderId, q.OrderId, StringComparison.Ordinal))
        && (q.Status is null || string.Equals(p.Status, q.Status, StringComparison.Ordinal))
        && (q.CreatedFrom is not { } from || p.CreatedAt >= from)
        && (q.CreatedTo is not { } to || p.CreatedAt <= to);

    private PaymentRecord Get(string id) =>
        _byId.TryGetValue(id, out PaymentRecord? p) ? p : throw new SimulatorException("payment_not_found", $"No payment has the id '{Truncate(id)}'.");

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    private void RunDueLocked(DateTimeOffset now)
    {
        // Expiries and chain steps, in the order they fall due.
        while (true)
        {
            bool expiry = _expiries.TryPeek(out PaymentRecord? p, out DateTimeOffset expiryDue) && expiryDue <= now;
            bool step = _chain.TryPeek(out var chainStep, out DateTimeOffset stepDue) && stepDue <= now;
            if (!expiry && !step)
            {
                return;
            }

            if (expiry && (!step || expiryDue <= stepDue))
            {
                _expiries.Dequeue();
                if (p!.Status == PaymentStatuses.Pending || (p.Status == PaymentStatuses.Paid && _options.AllowPaidToExpire))
                {
                    ExpireLocked(p, Wire.TruncateToSeconds(expiryDue));
                }

                continue;
            }

            _chain.Dequeue();
            DateTimeOffset at = Wire.TruncateToSeconds(stepDue);
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

        p.AmountReceived = received + arriving;
        p.TxHash = txHash ?? ("0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        p.UpdatedAt = now;
        string previous = p.Status;
        switch (p.Status)
        {
            case PaymentStatuses.Pending when p.AmountReceived >= p.Amount:
                p.Status = PaymentStatuses.Paid;
                p.PaidAt = now;
                p.Confirmations = 0;
                Emit(p, EventTypes.Paid, previous, now);
                if (_options.Chain.AutoConfirm)
                {
                    _chain.Enqueue((p, true), now + (_options.Chain.BlockInterval * _options.RequiredConfirmations));
                }

                break;
            case PaymentStatuses.Expired:
                Emit(p, EventTypes.LatePayment, previous, now);
                break;
            default:
                Emit(p, EventTypes.Updated, previous, now);
                break;
        }
    }

    private void ConfirmLocked(PaymentRecord p, int confirmations, DateTimeOffset now)
    {
        p.Status = PaymentStatuses.Confirmed;
        p.Confirmations = confirmations;
        p.ConfirmedAt = now;
        p.UpdatedAt = now;
        Emit(p, EventTypes.Confirmed, PaymentStatuses.Paid, now);
    }

    private void ExpireLocked(PaymentRecord p, DateTimeOffset at)
    {
        string previous = p.Status;
        p.Status = PaymentStatuses.Expired;
        p.ExpiredAt = at;
        p.UpdatedAt = at;
        Emit(p, EventTypes.Expired, previous, at);
    }

    private void Emit(PaymentRecord p, string type, string? previousStatus, DateTimeOffset at)
    {
        p.LastSequence++;
        EnvironmentState env = p.Environment;
        EventDto dto = new(Wire.NewId(KobbopayPrefixes.Event), type, Wire.Timestamp(at), p.Id, p.LastSequence, previousStatus, new EventDataDto(ToDto(p)));
        env.Events.Add(new EventRecord(env.Events.Count + 1, dto, at));
        EventEmitted?.Invoke(env.Name, dto);
    }

    private PaymentDto ToDto(PaymentRecord p) => new(
        p.Id,
        p.Status,
        Wire.Money(p.Amount),
        p.Currency,
        p.Network,
        p.OrderId,
        p.Metadata,
        p.Address,
        _baseAddress + "pay/" + p.StatusToken,
        Wire.Money(p.AmountReceived),
        p.Confirmations,
        p.TxHash,
        Wire.Timestamp(p.CreatedAt),
        Wire.Timestamp(p.UpdatedAt),
        Wire.Timestamp(p.ExpiresAt),
        Wire.Timestamp(p.PaidAt),
        Wire.Timestamp(p.ConfirmedAt),
        Wire.Timestamp(p.ExpiredAt));

    private static SimulatedPayment ToSnapshot(PaymentRecord p) => new(
        p.Id, p.Environment.Name, p.Status, p.Amount, p.Currency, p.Network, p.OrderId, p.AmountReceived, p.Confirmations, p.TxHash, p.CreatedAt, p.ExpiresAt, p.LastSequence);
}
