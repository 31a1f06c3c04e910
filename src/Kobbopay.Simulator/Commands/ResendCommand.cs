using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using Kobbopay.Simulator.Internal;

namespace Kobbopay.Simulator.Commands;

/// <summary>
/// <c>kobbopay-sim resend EVENT_ID [--to URL | --endpoint ID]</c>: asks a running simulator to send an event again
/// (<c>POST /_sim/events/{eventId}/resend</c>), waits until each new delivery's first attempt is answered, and prints
/// what was sent and what came back. Exit codes: 0 every attempt answered 2xx; 1 otherwise (or nothing was sent, or no
/// answer within <c>--timeout</c>); 2 bad input (the simulator's 400, 401 or 404 included); 3 the simulator is unreachable.
/// </summary>
internal static class ResendCommand
{
    /// <summary>How often the deliveries are read again while waiting for the attempts.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Creates the <c>resend</c> command.</summary>
    public static Command Create()
    {
        Argument<string> eventId = new("EVENT_ID") { Description = "The event to send again (evt_…)." };
        Option<string?> to = new("--to") { Description = "Send it once to this address instead (not registered as an endpoint; signed with the first endpoint's secret)." };
        Option<string?> endpoint = new("--endpoint") { Description = "Send it to this webhook endpoint only (we_…)." };
        Option<string> simulator = new("--simulator") { Description = "The running simulator's address.", DefaultValueFactory = _ => "http://127.0.0.1:5080/" };
        Option<string?> adminToken = new("--admin-token") { Description = "The simulator's admin token, when it has one (or KOBBOPAY_SIM_ADMIN_TOKEN)." };
        Option<double> timeout = new("--timeout") { Description = "Seconds to wait for the answers.", DefaultValueFactory = _ => 30 };
        Command command = new("resend", "Sends an event again by its id, to its endpoints, one endpoint (--endpoint) or another address (--to), and prints the answer.")
        {
            eventId, to, endpoint, simulator, adminToken, timeout,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new Request(
                parse.GetValue(eventId)!,
                parse.GetValue(to),
                parse.GetValue(endpoint),
                parse.GetValue(simulator)!,
                SimulatorControl.AdminToken(parse.GetValue(adminToken)),
                parse.GetValue(timeout)),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    /// <summary>Runs the command; the exit code is the one the class documents.</summary>
    internal static async Task<int> RunAsync(Request request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (request.Check() is { } problem)
        {
            await error.WriteLineAsync(problem);
            return 2;
        }

        using HttpClient http = SimulatorControl.CreateClient(new Uri(request.Simulator), request.AdminToken, TimeSpan.FromSeconds(request.TimeoutSeconds));

        try
        {
            using HttpResponseMessage answer = await http.PostAsJsonAsync(
                $"_sim/events/{Uri.EscapeDataString(request.EventId)}/resend",
                new ResendRequestDto(request.To, request.EndpointId, null, null),
                SimulatorJsonContext.Default.ResendRequestDto,
                cancellationToken);
            if (!answer.IsSuccessStatusCode)
            {
                ErrorResponseDto? refused = await ReadErrorAsync(answer, cancellationToken);
                await error.WriteLineAsync($"The simulator refused the resend: {(int)answer.StatusCode} {refused?.Error.Code}: {refused?.Error.Message}");
                return (int)answer.StatusCode is 400 or 401 or 404 ? 2 : 1;
            }

            ResendResultDto result = (await answer.Content.ReadFromJsonAsync(SimulatorJsonContext.Default.ResendResultDto, cancellationToken))!;
            if (result.Deliveries.Count == 0)
            {
                await error.WriteLineAsync($"Nothing was sent: no enabled webhook endpoint takes the environment of {request.EventId}.");
                return 1;
            }

            foreach (SimulatedDelivery d in result.Deliveries)
            {
                await output.WriteLineAsync($"-> {d.EventType} {d.EventId} to {d.Url} (delivery {d.Id}{(d.EndpointId is null ? string.Empty : ", endpoint " + d.EndpointId)})");
            }

            return await AwaitAnswersAsync(http, request, result.Deliveries, output, error, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"The simulator at {http.BaseAddress} cannot be reached: {ex.Message}");
            return 3;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"The simulator at {http.BaseAddress} did not answer within {request.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s.");
            return 3;
        }
    }

    /// <summary>Reads the deliveries until each one's first attempt is answered, then prints the answers.</summary>
    private static async Task<int> AwaitAnswersAsync(HttpClient http, Request request, IReadOnlyList<SimulatedDelivery> sent, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(request.TimeoutSeconds));
        HashSet<string> ids = [.. sent.Select(d => d.Id)];
        try
        {
            while (true)
            {
                DeliveriesDto list = (await http.GetFromJsonAsync($"_sim/deliveries?eventId={Uri.EscapeDataString(request.EventId)}", SimulatorJsonContext.Default.DeliveriesDto, deadline.Token))!;
                List<SimulatedDelivery> mine = [.. list.Data.Where(d => ids.Contains(d.Id))];
                if (mine.Count == ids.Count && mine.All(d => d.Attempts.Count > 0))
                {
                    bool allAccepted = true;
                    foreach (SimulatedDelivery d in mine)
                    {
                        SimulatedDeliveryAttempt first = d.Attempts.FirstOrDefault(a => a.StatusCode is >= 200 and < 300) ?? d.Attempts[0];
                        allAccepted &= first.StatusCode is >= 200 and < 300;
                        string fault = first.Fault is null ? string.Empty : $" [fault {first.Fault}]";
                        await output.WriteLineAsync(first.StatusCode > 0
                            ? string.Create(CultureInfo.InvariantCulture, $"<- {first.StatusCode} in {first.LatencyMilliseconds:0} ms from {d.Url} (delivery {d.Id}, x-delivery-id {first.DeliveryAttemptId}){fault}")
                            : $"<- failed: {first.Error} (delivery {d.Id} to {d.Url}){fault}");
                    }

                    return allAccepted ? 0 : 1;
                }

                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"No answer within {request.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s (--timeout); the deliveries are still listed by GET /_sim/deliveries?eventId={request.EventId}.");
            return 1;
        }
    }

    private static async Task<ErrorResponseDto?> ReadErrorAsync(HttpResponseMessage answer, CancellationToken cancellationToken)
    {
        try
        {
            return await answer.Content.ReadFromJsonAsync(SimulatorJsonContext.Default.ErrorResponseDto, cancellationToken);
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // not the simulator's error body (another server on that port?)
        }
    }

    /// <summary>What the command line asked for.</summary>
    internal sealed record Request(string EventId, string? To, string? EndpointId, string Simulator, string? AdminToken, double TimeoutSeconds)
    {
        /// <summary>Says what is wrong with the options, naming them; <see langword="null"/> when nothing is.</summary>
        public string? Check() =>
            To is not null && EndpointId is not null ? "--to and --endpoint both say where to send it: pass one of them."
            : To is not null && !IsHttp(To) ? $"--to must be an absolute http or https address; '{To}' is not."
            : !IsHttp(Simulator) ? $"--simulator must be an absolute http or https address; '{Simulator}' is not."
            : !double.IsFinite(TimeoutSeconds) || TimeoutSeconds <= 0 || TimeoutSeconds > 3600 ? "--timeout must be a number of seconds greater than 0 and at most 3600."
            : null;

        /// <summary>Prints the members, the admin token only as whether one was given.</summary>
        private bool PrintMembers(System.Text.StringBuilder builder)
        {
            builder.Append(CultureInfo.InvariantCulture, $"EventId = {EventId}, To = {To}, EndpointId = {EndpointId}, Simulator = {Simulator}, AdminToken = {(AdminToken is null ? "none" : "***")}, TimeoutSeconds = {TimeoutSeconds}");
            return true;
        }

        private static bool IsHttp(string text) => Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
    }
}
