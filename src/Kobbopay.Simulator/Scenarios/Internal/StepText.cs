using System.Globalization;

namespace Kobbopay.Simulator.Scenarios.Internal;

/// <summary>What a step does, in a few words, for the output of <c>kobbopay-sim run</c>.</summary>
internal static class StepText
{
    public static string Describe(ScenarioStep step) => step switch
    {
        CreatePaymentStep c => $"{Money(c.Amount)} {c.Currency} on {c.Network}, order {c.OrderId}" + (c.ExpiresInSeconds is { } s ? $", expires in {s} s" : string.Empty),
        PayStep { Amount: { } amount } => $"{Money(amount)} arrives",
        PayStep => "the amount still owed arrives",
        PayPartStep part => $"{Money(part.Amount)} arrives",
        AdvanceClockStep advance => $"+{advance.Seconds.ToString(CultureInfo.InvariantCulture)} s",
        ExpectStatusStep expect => expect.Status + (expect.AmountReceived is { } received ? $", amountReceived {Money(received)}" : string.Empty),
        ExpectDeliveryStep expect => $"{expect.Event} to {expect.Endpoint}, answered {expect.Status.ToString(CultureInfo.InvariantCulture)}",
        _ => string.Empty,
    };

    private static string Money(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);
}
