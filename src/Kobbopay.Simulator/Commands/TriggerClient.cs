using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Kobbopay.Contracts;

using Kobbopay.Simulator.Internal;

namespace Kobbopay.Simulator.Commands;

/// <summary>
/// What <c>kobbopay-sim trigger</c> asks of a simulator, over HTTP: the payment API (<c>/v1</c>, with the API key) and the
/// control API (<c>/_sim</c>, with the admin token when there is one). A refusal throws <see cref="TriggerException"/>.
/// </summary>
internal sealed class TriggerClient(HttpClient http) : IDisposable
{
    /// <summary>Creates a client for the simulator at <paramref name="baseAddress"/>.</summary>
    public static TriggerClient Create(Uri baseAddress, string apiKey, string? adminToken)
    {
        HttpClient http = SimulatorControl.CreateClient(baseAddress, adminToken, TimeSpan.FromSeconds(30), new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(5) });
        http.DefaultRequestHeaders.Add(KobbopayHeaders.ApiKey, apiKey);

        return new TriggerClient(http);
    }

    /// <summary>Reads the clock: the simulator answers, and the admin token (if it needs one) is right.</summary>
    public Task CheckAsync(CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, "_sim/clock", null, SimulatorJsonContext.Default.ClockDto, cancellationToken);

    /// <summary>Lists the webhook endpoints.</summary>
    public async Task<IReadOnlyList<SimulatedWebhookEndpoint>> EndpointsAsync(CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Get, "_sim/webhook-endpoints", null, SimulatorJsonContext.Default.WebhookEndpointsDto, cancellationToken)).Data;

    /// <summary>Registers a webhook endpoint.</summary>
    public Task<SimulatedWebhookEndpoint> AddEndpointAsync(Uri url, string secret, string scheme, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "_sim/webhook-endpoints", JsonContent.Create(new AddWebhookEndpointRequestDto { Url = url.AbsoluteUri, Secret = secret, Scheme = scheme }, SimulatorJsonContext.Default.AddWebhookEndpointRequestDto), SimulatorJsonContext.Default.SimulatedWebhookEndpoint, cancellationToken);

    /// <summary>Removes a webhook endpoint.</summary>
    public async Task RemoveEndpointAsync(string id, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.DeleteAsync($"_sim/webhook-endpoints/{Uri.EscapeDataString(id)}", cancellationToken);
        await EnsureAsync(response, cancellationToken);
    }

    /// <summary>Creates a payment of 10 USDT on example-network (a default rail) through the payment API.</summary>
    public Task<PaymentDto> CreatePaymentAsync(CancellationToken cancellationToken)
    {
        string orderId = "trigger-" + Guid.NewGuid().ToString("N");
        CreatePaymentRequestDto body = new("10.00", "USDT", "example-network", orderId, null, null);
        HttpRequestMessage request = new(HttpMethod.Post, "v1/payments") { Content = JsonContent.Create(body, SimulatorJsonContext.Default.CreatePaymentRequestDto) };
        request.Headers.Add(KobbopayHeaders.IdempotencyKey, orderId);
        return SendAsync(request, SimulatorJsonContext.Default.PaymentDto, cancellationToken);
    }

    /// <summary>Pays a payment: the amount still owed, or <paramref name="amount"/>.</summary>
    public Task<PaymentDto> PayAsync(string paymentId, decimal? amount, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"_sim/payments/{Uri.EscapeDataString(paymentId)}/pay", JsonContent.Create(new PayRequestDto(amount?.ToString(CultureInfo.InvariantCulture), null), SimulatorJsonContext.Default.PayRequestDto), SimulatorJsonContext.Default.PaymentDto, cancellationToken);

    /// <summary>Confirms a paid payment.</summary>
    public Task<PaymentDto> ConfirmAsync(string paymentId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"_sim/payments/{Uri.EscapeDataString(paymentId)}/confirm", null, SimulatorJsonContext.Default.PaymentDto, cancellationToken);

    /// <summary>Expires a pending payment.</summary>
    public Task<PaymentDto> ExpireAsync(string paymentId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"_sim/payments/{Uri.EscapeDataString(paymentId)}/expire", null, SimulatorJsonContext.Default.PaymentDto, cancellationToken);

    /// <summary>Lists the deliveries of a payment's events.</summary>
    public async Task<IReadOnlyList<SimulatedDelivery>> DeliveriesAsync(string paymentId, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Get, $"_sim/deliveries?paymentId={Uri.EscapeDataString(paymentId)}", null, SimulatorJsonContext.Default.DeliveriesDto, cancellationToken)).Data;

    /// <summary>Finds an event through the event export (<c>GET /v1/events</c>), from the payment's creation on.</summary>
    public async Task<EventDto?> FindEventAsync(string eventId, string type, string from, CancellationToken cancellationToken)
    {
        string? cursor = null;
        for (int page = 0; page < 100; page++)
        {
            string path = $"v1/events?type={Uri.EscapeDataString(type)}&createdFrom={Uri.EscapeDataString(from)}&limit=100" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor));
            PageDto<EventDto> events = await SendAsync(HttpMethod.Get, path, null, SimulatorJsonContext.Default.PageDtoEventDto, cancellationToken);
            if (events.Data.FirstOrDefault(e => e.Id == eventId) is { } found)
            {
                return found;
            }

            if ((cursor = events.NextCursor) is null)
            {
                break;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public void Dispose() => http.Dispose();

    private Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> answer, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(method, path) { Content = content }, answer, cancellationToken);

    private async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> answer, CancellationToken cancellationToken)
    {
        using (request)
        {
            using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
            await EnsureAsync(response, cancellationToken);
            return await response.Content.ReadFromJsonAsync(answer, cancellationToken) ?? throw new TriggerException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode} without a body.");
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        string hint = response.StatusCode == System.Net.HttpStatusCode.Unauthorized ? " Pass the simulator's admin token (--admin-token or KOBBOPAY_SIM_ADMIN_TOKEN) and its API key (--api-key)." : string.Empty;
        throw new TriggerException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}: {body}{hint}");
    }
}
