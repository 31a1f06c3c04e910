namespace Kobbopay.Simulator.Commands;

/// <summary>What <c>kobbopay-sim trigger</c> was asked to do.</summary>
/// <param name="EventType">The event to emit.</param>
/// <param name="Simulator">The running simulator (unless <paramref name="InProcess"/>).</param>
/// <param name="ApiKey">The simulator's test API key (never printed).</param>
/// <param name="AdminToken">The simulator's admin token, if it has one (never printed).</param>
/// <param name="ForwardTo">An address to register as a temporary endpoint, or <see langword="null"/>.</param>
/// <param name="Secret">The temporary endpoint's signing secret.</param>
/// <param name="Scheme">The temporary endpoint's signature scheme.</param>
/// <param name="InProcess">Whether to start a simulator in this process.</param>
/// <param name="Timeout">How long to wait for the endpoints' answers.</param>
internal sealed record TriggerRequest(string EventType, string Simulator, string ApiKey, string? AdminToken, string? ForwardTo, string Secret, string Scheme, bool InProcess, TimeSpan Timeout)
{
    /// <summary>Gets what the trigger does, without the API key and the admin token.</summary>
    public override string ToString() => $"trigger {EventType} via {(InProcess ? "a simulator in process" : Simulator)}{(ForwardTo is null ? string.Empty : $" to {ForwardTo}")}";
}
