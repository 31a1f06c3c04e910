namespace Kobbopay.Simulator.Internal;

internal enum FaultKind
{
    None,
    InternalError,
    Unavailable,
    RateLimited,
    DropConnection,
    ResponseLoss,
}

internal readonly record struct FaultDecision(FaultKind Kind, TimeSpan Latency);

/// <summary>Draws the fault for each API request from a generator seeded by the options, so a run can be repeated exactly.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private SimulatorFaultOptions _options = SimulatorFaultOptions.None;
    private Random _random = new(0);

    public FaultInjector(SimulatorFaultOptions options) => Options = options;

    public SimulatorFaultOptions Options
    {
        get
        {
            lock (_gate)
            {
                return _options;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            lock (_gate)
            {
                _options = value;
                _random = new Random(value.Seed);
            }
        }
    }

    public FaultDecision Next()
    {
        lock (_gate)
        {
            SimulatorFaultOptions o = _options;
            double faultTotal = o.InternalErrorRate + o.UnavailableRate + o.RateLimitRate + o.DropConnectionRate + o.ResponseLossRate;
            if (faultTotal <= 0 && o.LatencyRate <= 0)
            {
                return default;
            }

            // Two draws every time, whatever they decide, so one setting never shifts another's sequence.
            double u = _random.NextDouble();
            double v = _random.NextDouble();
            TimeSpan latency = v < o.LatencyRate ? TimeSpan.FromMilliseconds(o.LatencyMilliseconds) : TimeSpan.Zero;
            FaultKind kind = FaultKind.None;
            double edge = 0;
            if (u < (edge += o.InternalErrorRate))
            {
                kind = FaultKind.InternalError;
            }
            else if (u < (edge += o.UnavailableRate))
            {
                kind = FaultKind.Unavailable;
            }
            else if (u < (edge += o.RateLimitRate))
            {
                kind = FaultKind.RateLimited;
            }
            else if (u < (edge += o.DropConnectionRate))
            {
                kind = FaultKind.DropConnection;
            }
            else if (u < edge + o.ResponseLossRate)
            {
                kind = FaultKind.ResponseLoss;
            }

            return new FaultDecision(kind, latency);
        }
    }

    public static string? Name(FaultKind kind) => kind switch
    {
        FaultKind.InternalError => "internal_error",
        FaultKind.Unavailable => "unavailable",
        FaultKind.RateLimited => "rate_limited",
        FaultKind.DropConnection => "drop_connection",
        FaultKind.ResponseLoss => "response_loss",
        _ => null,
    };
}
