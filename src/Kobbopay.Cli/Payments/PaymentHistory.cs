using System.Globalization;
using Kobbopay.Sdk;

namespace Kobbopay.Cli.Payments;

/// <summary>
/// The lifecycle context an escalation needs: the payment as it is now, then each of its events (sequence, time, type,
/// previous and new status, amount received) in sequence, read through <see cref="PaymentEventHistory"/>: one page of
/// the export in memory at a time, plus the kept events.
/// </summary>
internal static class PaymentHistory
{
    /// <summary>Prints the history of a payment.</summary>
    /// <param name="client">The client.</param>
    /// <param name="paymentId">The payment id.</param>
    /// <param name="context">Where to write.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> PrintAsync(KobbopayClient client, string paymentId, CliContext context, CancellationToken cancellationToken)
    {
        Payment payment = await client.GetPaymentAsync(paymentId, cancellationToken).ConfigureAwait(false);
        List<PaymentEvent> events = [];
        await foreach (PaymentEvent e in PaymentEventHistory.ReadAsync(client, payment, cancellationToken).ConfigureAwait(false))
        {
            events.Add(e);
        }

        // The export is oldest first; the sequence is the payment's own order, and an event without one keeps its place.
        List<PaymentEvent> ordered = [.. events.Select((e, i) => (e, i)).OrderBy(x => x.e.Sequence ?? long.MaxValue).ThenBy(x => x.i).Select(x => x.e)];

        TextWriter output = context.Out;
        string received = payment.AmountReceived is { } r ? $", received {PaymentText.Amount(r)}" : string.Empty;
        await output.WriteLineAsync($"payment {payment.Id}  order {payment.OrderId}  {payment.Status.Value}  {PaymentText.Amount(payment.Amount)} {payment.Currency} on {payment.Network}{received}").ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"seq",-5}{"time",-30}{"type",-24}{"status",-22}received")).ConfigureAwait(false);
        long? previous = null;
        foreach (PaymentEvent e in ordered)
        {
            if (previous is { } p && e.Sequence is { } s && s != p + 1)
            {
                await context.Err.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"note: sequence {p} is followed by {s}: events {p + 1} to {s - 1} are missing from the export.")).ConfigureAwait(false);
            }

            previous = e.Sequence ?? previous;
            string status = e.PreviousStatus is { } before ? $"{before.Value} -> {e.Payment?.Status.Value}" : e.Payment?.Status.Value ?? string.Empty;
            string amount = e.Payment?.AmountReceived is { } a ? PaymentText.Amount(a) : "-";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{e.Sequence?.ToString(CultureInfo.InvariantCulture) ?? "-",-5}{PaymentText.Time(e.CreatedAt),-30}{e.Type.Value,-24}{status,-22}{amount}")).ConfigureAwait(false);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{ordered.Count} event(s)")).ConfigureAwait(false);
        return CliExitCodes.Ok;
    }
}
