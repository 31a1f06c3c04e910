using System.CommandLine;
using System.Text;
using Kobbopay.Cli.Configuration;
using Kobbopay.Sdk;

namespace Kobbopay.Cli.Payments;

/// <summary><c>kobbopay payments get|history ID</c>.</summary>
internal static class PaymentsCommand
{
    /// <summary>Creates the <c>payments</c> command.</summary>
    /// <param name="options">The global options.</param>
    /// <param name="context">Where to write.</param>
    /// <returns>The command.</returns>
    public static Command Create(GlobalOptions options, CliContext context)
    {
        Argument<string> getId = new("ID") { Description = "The payment id (pay_…)." };
        Option<bool> json = new("--json") { Description = "Print the payment as the gateway's JSON (one line) instead of readable lines." };
        Command get = new("get", "Gets a payment's authoritative status, as readable lines or --json.") { getId, json };
        get.SetAction((parse, ct) => GatewaySession.RunAsync(parse, options, context, async (client, token) =>
        {
            Payment payment = await client.GetPaymentAsync(parse.GetValue(getId)!, token).ConfigureAwait(false);
            string text = parse.GetValue(json) ? Encoding.UTF8.GetString(KobbopaySerializer.SerializeToUtf8Bytes(payment)) : PaymentText.Describe(payment);
            await context.Out.WriteLineAsync(text).ConfigureAwait(false);
            return CliExitCodes.Ok;
        }, ct));

        Argument<string> historyId = new("ID") { Description = "The payment id (pay_…)." };
        Command history = new(
            "history",
            "Prints a payment's lifecycle for an escalation: the payment, then every event of it (sequence, time, type, status) in sequence. "
            + "The event export has no payment filter: it is read from the payment's creation on, keeping that payment's events.")
        {
            historyId,
        };
        history.SetAction((parse, ct) => GatewaySession.RunAsync(
            parse, options, context, (client, token) => PaymentHistory.PrintAsync(client, parse.GetValue(historyId)!, context, token), ct));

        return new Command("payments", "Reads payments: one payment's status, or its lifecycle history.") { get, history };
    }
}
