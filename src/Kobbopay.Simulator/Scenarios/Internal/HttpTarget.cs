using System.Globalization;
using System.Net.Http.Json;
using Kobbopay.Simulator.Internal;

namespace Kobbopay.Simulator.Scenarios.Internal;

/// <summary>A running simulator at an address: its payment API and its control API (<c>/_sim</c>).</summary>
internal sealed class HttpTarget(HttpClient api) : ScenarioTarget(api)
{
    /// <summary>How often the deliveries are read while waiting for them to settle: there is no signal over HTTP.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public override async Task<(string Status, decimal? AmountReceived)> GetAsync(string paymentId, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await Api.GetAsync("v1/payments/" + Uri.EscapeDataString(paymentId), cancellationToken).ConfigureAwait(false);
        PaymentDto payment = await ReadAsync(response, SimulatorJsonContext.Default.PaymentDto, cancellationToken).ConfigureAwait(false);
        return (payment.Status, payment.AmountReceived is { } text ? decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture) : null);
    }

    public override Task PayAsync(string paymentId, decimal? amount, CancellationToken cancellationToken) =>
        TransitionAsync(paymentId, "pay", new PayRequestDto(amount?.ToString(CultureInfo.InvariantCulture), null), cancellationToken);

    public override Task ConfirmAsync(string paymentId, CancellationToken cancellationToken) =>
        TransitionAsync(paymentId, "confirm", null, cancellationToken);

    public override Task ExpireAsync(string paymentId, CancellationToken cancellationToken) =>
        TransitionAsync(paymentId, "expire", null, cancellationToken);

    public override async Task AdvanceClockAsync(double seconds, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await Api.PostAsJsonAsync("_sim/clock/advance", new AdvanceClockRequestDto(seconds), SimulatorJsonContext.Default.AdvanceClockRequestDto, cancellationToken).ConfigureAwait(false);
        await ReadAsync(response, SimulatorJsonContext.Default.ClockDto, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<string> AddEndpointAsync(Uri url, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await Api.PostAsJsonAsync("_sim/webhook-endpoints", new AddWebhookEndpointRequestDto { Url = url.ToString() }, SimulatorJsonContext.Default.AddWebhookEndpointRequestDto, cancellationToken).ConfigureAwait(false);
        return (await ReadAsync(response, SimulatorJsonContext.Default.SimulatedWebhookEndpoint, cancellationToken).ConfigureAwait(false)).Id;
    }

    public override async Task RemoveEndpointAsync(string endpointId, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await Api.DeleteAsync("_sim/webhook-endpoints/" + Uri.EscapeDataString(endpointId), cancellationToken).ConfigureAwait(false);
    }

    public override async Task<bool> WaitForDeliveriesAsync(string paymentId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            using HttpResponseMessage clock = await Api.GetAsync("_sim/clock", cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = DateTimeOffset.Parse((await ReadAsync(clock, SimulatorJsonContext.Default.ClockDto, cancellationToken).ConfigureAwait(false)).Now, CultureInfo.InvariantCulture);

            // Settled: nothing of the payment's is under way or due at the simulator's time (a retry due later on a manual clock never is).
            if ((await DeliveriesAsync(paymentId, cancellationToken).ConfigureAwait(false)).All(d => d.Status != "pending" || d.NextAttemptAt > now))
            {
                return true;
            }

            if (TimeProvider.System.GetElapsedTime(started) >= timeout)
            {
                return false;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<IReadOnlyList<SimulatedDelivery>> DeliveriesAsync(string paymentId, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await Api.GetAsync("_sim/deliveries?paymentId=" + Uri.EscapeDataString(paymentId), cancellationToken).ConfigureAwait(false);
        return (await ReadAsync(response, SimulatorJsonContext.Default.DeliveriesDto, cancellationToken).ConfigureAwait(false)).Data;
    }

    private async Task TransitionAsync(string paymentId, string action, PayRequestDto? body, CancellationToken cancellationToken)
    {
        string path = $"_sim/payments/{Uri.EscapeDataString(paymentId)}/{action}";
        using HttpResponseMessage response = body is null
            ? await Api.PostAsync(path, null, cancellationToken).ConfigureAwait(false)
            : await Api.PostAsJsonAsync(path, body, SimulatorJsonContext.Default.PayRequestDto, cancellationToken).ConfigureAwait(false);
        await ReadAsync(response, SimulatorJsonContext.Default.PaymentDto, cancellationToken).ConfigureAwait(false);
    }
}
