namespace Kobbopay.Simulator.Commands;

/// <summary>The simulator refused a step of <c>kobbopay-sim trigger</c>; the message says which and what it answered.</summary>
internal sealed class TriggerException(string message) : Exception(message);
