using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

using Kobbopay.Simulator.Internal;

namespace Kobbopay.Simulator.Commands;

/// <summary>
/// <c>kobbopay-sim trigger EVENT_TYPE</c>, like <c>stripe trigger</c>: creates a payment, drives it through the control API
/// so the simulator emits that event, waits until each endpoint has answered its delivery, and prints what was sent and
/// what came back. Exit codes: 0 every endpoint answered 2xx; 1 one did not (or not in time); 2 bad input; 3 no simulator.
/// </summary>
internal static class TriggerCommand
{
    /// <summary>The secret of the MerchantApi sample's appsettings.Development.json, so <c>--forward-to</c> it verifies as is.</summary>
    public const string DevelopmentSecret = "whsk_local_development_only";

    /// <summary>Gets the event types the simulator emits, each with how a payment is driven to it.</summary>
    public static IReadOnlyList<string> EventTypes { get; } =
    [
        Internal.EventTypes.Created, Internal.EventTypes.Updated, Internal.EventTypes.Paid,
        Internal.EventTypes.Confirmed, Internal.EventTypes.Expired, Internal.EventTypes.LatePayment,
    ];

    /// <summary>Creates the command, for <c>root.Subcommands.Add</c>.</summary>
    public static Command Create()
    {
        Argument<string> eventType = new("event-type") { Description = "The event to emit: " + string.Join(", ", EventTypes) + "." };
        Option<string> simulator = new("--simulator")
        {
            Description = "The running simulator to use (or KOBBOPAY_SIM_URL).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("KOBBOPAY_SIM_URL") is { Length: > 0 } url ? url : "http://127.0.0.1:5080/",
        };
        Option<string> apiKey = new("--api-key") { Description = "The simulator's test API key.", DefaultValueFactory = _ => KobbopaySimulatorOptions.DefaultTestApiKey };
        Option<string?> adminToken = new("--admin-token") { Description = "The simulator's admin token, when it has one (or KOBBOPAY_SIM_ADMIN_TOKEN)." };
        Option<string?> forwardTo = new("--forward-to") { Description = "Deliver to this URL: a webhook endpoint registered for this trigger and removed afterwards." };
        Option<string> secret = new("--webhook-secret") { Description = "The --forward-to endpoint's signing secret (default: the MerchantApi sample's development secret).", DefaultValueFactory = _ => DevelopmentSecret };
        Option<string> scheme = new("--webhook-scheme") { Description = "The --forward-to endpoint's signature scheme: hmac-sha256-hex or standard-webhooks.", DefaultValueFactory = _ => "hmac-sha256-hex" };
        Option<bool> inProcess = new("--in-process") { Description = "Start a simulator in this process instead of using a running one." };
        Option<int> timeout = new("--timeout") { Description = "Seconds to wait for the endpoints' answers.", DefaultValueFactory = _ => 30 };

        Command command = new("trigger", "Creates a payment and drives it so the simulator emits EVENT_TYPE and delivers it to the webhook endpoints; prints what was sent and how each endpoint answered.")
        {
            eventType, simulator, apiKey, adminToken, forwardTo, secret, scheme, inProcess, timeout,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new TriggerRequest(
                parse.GetValue(eventType)!,
                parse.GetValue(simulator)!,
                parse.GetValue(apiKey)!,
                SimulatorControl.AdminToken(parse.GetValue(adminToken)),
                parse.GetValue(forwardTo),
                parse.GetValue(secret)!,
                parse.GetValue(scheme)!,
                parse.GetValue(inProcess),
                TimeSpan.FromSeconds(parse.GetValue(timeout))),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    /// <summary>Runs a trigger; returns the exit code.</summary>
    public static async Task<int> RunAsync(TriggerRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!EventTypes.Contains(request.EventType, StringComparer.Ordinal))
        {
            await error.WriteLineAsync($"Unknown event type '{request.EventType}'. The simulator emits: {string.Join(", ", EventTypes)}.");
            return 2;
        }

        if (!IsHttp(request.Simulator, out Uri? baseAddress))
        {
            await error.WriteLineAsync($"--simulator (or KOBBOPAY_SIM_URL) must be an absolute http or https address; '{request.Simulator}' is not.");
            return 2;
        }

        Uri? forwardTo = null;
        if (request.ForwardTo is not null && !IsHttp(request.ForwardTo, out forwardTo))
        {
            await error.WriteLineAsync($"--forward-to must be an absolute http or https address; '{request.ForwardTo}' is not.");
            return 2;
        }

        if (request.Timeout <= TimeSpan.Zero)
        {
            await error.WriteLineAsync("--timeout must be at least 1 second.");
            return 2;
        }

        KobbopaySimulator? local = null;
        try
        {
            string apiKey = request.ApiKey;
            if (request.InProcess)
            {
                local = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions { ClockMode = SimulatorClockMode.Wall }, cancellationToken);
                baseAddress = local.BaseAddress;
                apiKey = local.TestApiKey;
                await output.WriteLineAsync($"Started a simulator in process at {baseAddress}");
            }

            using TriggerClient client = TriggerClient.Create(baseAddress, apiKey, request.InProcess ? null : request.AdminToken);
            try
            {
                await client.CheckAsync(cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                await error.WriteLineAsync($"No simulator answers at {baseAddress} ({ex.Message}). Start one (kobbopay-sim, or dotnet run --project src/Kobbopay.Simulator) and point --simulator or KOBBOPAY_SIM_URL at it, or pass --in-process.");
                return 3;
            }

            return await TriggerAsync(client, request, forwardTo, output, cancellationToken);
        }
        catch (TriggerException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 2;
        }
        finally
        {
            if (local is not null)
            {
                await local.DisposeAsync();
            }
        }
    }

    private static bool IsHttp(string text, [NotNullWhen(true)] out Uri? url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    private static async Task<int> TriggerAsync(TriggerClient client, TriggerRequest request, Uri? forwardTo, TextWriter output, CancellationToken cancellationToken)
    {
        SimulatedWebhookEndpoint? temporary = null;
        if (forwardTo is not null)
        {
            temporary = await client.AddEndpointAsync(forwardTo, request.Secret, request.Scheme, cancellationToken);
            await output.WriteLineAsync($"Forwarding to {temporary.Url} (endpoint {temporary.Id}, {temporary.Scheme}, for this trigger only)");
        }
        else if (!(await client.EndpointsAsync(cancellationToken)).Any(e => e.Enabled))
        {
            throw new TriggerException("The simulator has no enabled webhook endpoint to deliver to: pass --forward-to URL (or start the simulator with --webhook-url).");
        }

        try
        {
            PaymentDto payment = await client.CreatePaymentAsync(cancellationToken);
            await output.WriteLineAsync($"Created payment {payment.Id} ({payment.Amount} {payment.Currency} on {payment.Network}, order {payment.OrderId})");
            await DriveAsync(client, payment, request.EventType, output, cancellationToken);

            IReadOnlyList<SimulatedDelivery> deliveries = await AnswersAsync(client, payment.Id, request.EventType, request.Timeout, cancellationToken);
            if (deliveries.Count == 0)
            {
                await output.WriteLineAsync($"{request.EventType} was emitted, but no endpoint was registered for it.");
                return 1;
            }

            EventDto? sent = await client.FindEventAsync(deliveries[0].EventId, request.EventType, payment.CreatedAt, cancellationToken);
            return await ReportAsync(client, deliveries, sent, output, cancellationToken);
        }
        finally
        {
            if (temporary is not null)
            {
                await client.RemoveEndpointAsync(temporary.Id, CancellationToken.None);
            }
        }
    }

    /// <summary>Drives a new payment so the simulator emits <paramref name="eventType"/> (and the events on the way there).</summary>
    private static async Task DriveAsync(TriggerClient client, PaymentDto payment, string eventType, TextWriter output, CancellationToken cancellationToken)
    {
        string id = payment.Id;
        switch (eventType)
        {
            case Internal.EventTypes.Updated:
                decimal part = decimal.Parse(payment.Amount, CultureInfo.InvariantCulture) / 2;
                await Step(output, $"paid {part.ToString(CultureInfo.InvariantCulture)} of {payment.Amount} (partial)", client.PayAsync(id, part, cancellationToken));
                break;
            case Internal.EventTypes.Paid:
                await Step(output, "paid in full", client.PayAsync(id, null, cancellationToken));
                break;
            case Internal.EventTypes.Confirmed:
                await Step(output, "paid in full", client.PayAsync(id, null, cancellationToken));
                await Step(output, "confirmed", client.ConfirmAsync(id, cancellationToken));
                break;
            case Internal.EventTypes.Expired:
                await Step(output, "expired", client.ExpireAsync(id, cancellationToken));
                break;
            case Internal.EventTypes.LatePayment:
                await Step(output, "expired", client.ExpireAsync(id, cancellationToken));
                await Step(output, "paid after expiry", client.PayAsync(id, null, cancellationToken));
                break;
            default:
                break; // payment.created: the create emitted it
        }

        static async Task Step(TextWriter output, string what, Task<PaymentDto> call)
        {
            PaymentDto after = await call;
            await output.WriteLineAsync($"  {what}: status {after.Status}, received {after.AmountReceived ?? "0"}");
        }
    }

    /// <summary>
    /// Waits until every delivery of the payment's <paramref name="eventType"/> event has had an attempt answered (or
    /// failed), or the timeout passes; returns them. The simulator queues the deliveries as the event happens, so they
    /// are listed by the time the step that emitted it has answered; only their attempts are awaited.
    /// </summary>
    private static async Task<IReadOnlyList<SimulatedDelivery>> AnswersAsync(TriggerClient client, string paymentId, string eventType, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Stopwatch waited = Stopwatch.StartNew();
        while (true)
        {
            List<SimulatedDelivery> deliveries = [.. (await client.DeliveriesAsync(paymentId, cancellationToken)).Where(d => d.EventType == eventType)];
            if (deliveries.All(d => d.Attempts.Count > 0) || waited.Elapsed >= timeout)
            {
                return deliveries;
            }

            // Over HTTP there is nothing to await but the next look: the simulator may be another process.
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private static async Task<int> ReportAsync(TriggerClient client, IReadOnlyList<SimulatedDelivery> deliveries, EventDto? sent, TextWriter output, CancellationToken cancellationToken)
    {
        IReadOnlyList<SimulatedWebhookEndpoint> endpoints = await client.EndpointsAsync(cancellationToken);
        SimulatedDelivery first = deliveries[0];
        await output.WriteLineAsync($"Sent {first.EventType} {first.EventId} (payment {first.PaymentId})");
        bool allAnswered2xx = true;
        foreach (SimulatedDelivery delivery in deliveries)
        {
            string url = delivery.Url?.ToString() ?? endpoints.FirstOrDefault(e => e.Id == delivery.EndpointId)?.Url.ToString() ?? delivery.EndpointId ?? "(no endpoint)";
            await output.WriteLineAsync($"  -> {url}  delivery {delivery.Id}, {delivery.Status}");
            if (delivery.Attempts.Count == 0)
            {
                await output.WriteLineAsync("     no answer in time");
                allAnswered2xx = false;
                continue;
            }

            foreach (SimulatedDeliveryAttempt attempt in delivery.Attempts)
            {
                string answer = attempt.StatusCode > 0 ? attempt.StatusCode.ToString(CultureInfo.InvariantCulture) : "no answer";
                string latency = attempt.LatencyMilliseconds.ToString("0", CultureInfo.InvariantCulture);
                await output.WriteLineAsync($"     attempt {attempt.Number} ({attempt.DeliveryAttemptId}): {answer} in {latency} ms{(attempt.Error is null ? string.Empty : ", " + attempt.Error)}{(attempt.Fault is null ? string.Empty : ", fault " + attempt.Fault)}");
            }

            // The last attempt decides; a duplicated attempt (webhook fault `duplicate`) is two copies with one number, and
            // the endpoint rightly answers the copy that overlaps the first 409 or 200: one 2xx copy is a delivery.
            int last = delivery.Attempts[^1].Number;
            allAnswered2xx &= delivery.Attempts.Any(a => a.Number == last && a.StatusCode is >= 200 and < 300);
        }

        if (sent is not null)
        {
            await output.WriteLineAsync("  body");
            await output.WriteLineAsync(Indent(sent));
        }

        await output.WriteLineAsync(allAnswered2xx ? "Trigger succeeded: every endpoint answered 2xx." : "Trigger failed: an endpoint did not answer 2xx.");
        return allAnswered2xx ? 0 : 1;
    }

    /// <summary>The event as delivered (the same serializer), indented for reading.</summary>
    private static string Indent(EventDto sent)
    {
        using JsonDocument document = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(sent, SimulatorJsonContext.Default.EventDto));
        using MemoryStream buffer = new();
        using (Utf8JsonWriter writer = new(buffer, new JsonWriterOptions { Indented = true }))
        {
            document.WriteTo(writer);
        }

        return string.Join(Environment.NewLine, Encoding.UTF8.GetString(buffer.ToArray()).Split('\n').Select(line => "    " + line.TrimEnd('\r')));
    }
}
