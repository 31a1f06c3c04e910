using Kobbopay.Simulator.Internal.Delivery;
using Microsoft.Extensions.Logging;

namespace Kobbopay.Simulator.Internal;

/// <summary>Everything one simulator instance holds, shared by its middleware and endpoints.</summary>
internal sealed class SimulatorState
{
    private readonly Dictionary<string, EnvironmentState> _byApiKey = new(StringComparer.Ordinal);

    public SimulatorState(KobbopaySimulatorOptions options, ILoggerFactory loggerFactory)
    {
        Options = options;
        Clock = new SimulatorClock(options.ClockMode, options.ClockStart, options.WallClock);
        Engine = new PaymentEngine(options, Clock);
        Idempotency = new IdempotencyStore(Clock, options.IdempotencyKeyRetention);
        Faults = new FaultInjector(options.Faults);
        Journal = new RequestJournal();
        Console = loggerFactory.CreateLogger(ConsoleLog.Category);
        Dispatcher = new WebhookDispatcher(options, Clock, loggerFactory.CreateLogger("Kobbopay.Simulator.Webhooks"), Console);
        Engine.EventEmitted = Dispatcher.Enqueue;
        foreach (SimulatorEnvironmentOptions env in options.EffectiveEnvironments())
        {
            foreach (string key in env.ApiKeys)
            {
                _byApiKey.Add(key, Engine.GetEnvironment(env.Name));
            }
        }

        HostsProduction = Engine.Environments.Any(e => e.IsProduction);
        HostsNonProduction = Engine.Environments.Any(e => !e.IsProduction);
    }

    public KobbopaySimulatorOptions Options { get; }

    public SimulatorClock Clock { get; }

    public PaymentEngine Engine { get; }

    public IdempotencyStore Idempotency { get; }

    public FaultInjector Faults { get; }

    public RequestJournal Journal { get; }

    public WebhookDispatcher Dispatcher { get; }

    /// <summary>The live console's logger (<see cref="ConsoleLog"/>).</summary>
    public ILogger Console { get; }

    public bool HostsProduction { get; }

    public bool HostsNonProduction { get; }

    /// <summary>Clears payments, events, idempotency keys, deliveries and recorded requests; endpoints, faults, keys, rails and the clock stay.</summary>
    public void Reset()
    {
        Engine.Reset();
        Idempotency.Clear();
        Dispatcher.ClearDeliveries();
        Journal.Clear();
    }

    /// <summary>Sends an event again by its id (<see cref="WebhookDispatcher.Resend"/>); throws <c>event_not_found</c> when no event has that id.</summary>
    public IReadOnlyList<SimulatedDelivery> Resend(string eventId, Uri? url, string? endpointId, string? secret, string? scheme)
    {
        return Dispatcher.Resend(() => Engine.FindEvent(eventId) ?? throw new SimulatorException("event_not_found", $"No event has the id {eventId}."), url, endpointId, secret, scheme);
    }

    public EnvironmentState? FindByApiKey(string key) => _byApiKey.GetValueOrDefault(key);
}
