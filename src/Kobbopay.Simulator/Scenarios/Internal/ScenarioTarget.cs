using System.Globalization;
using System.Net.Http.Json;
using Kobbopay.Simulator.Internal;

namespace Kobbopay.Simulator.Scenarios.Internal;

/// <summary>
/// The simulator a scenario runs against: in process or over HTTP. Payments are created through the payment API
/// (<c>POST /v1/payments</c>) either way; the rest is the control API or its in-process twin. A refusal is a
/// <see cref="SimulatorException"/> with the simulator's error code.
/// </summary>
internal abstract class ScenarioTarget(HttpClient api) : IDisposable
{
    /// <summary>Gets the client of the simulator's address, with the API key (and over HTTP the admin token).</summary>
    protected HttpClient Api { get; } = api;

    /// <summary>Creates a payment through the API and answers its id.</summary>
    public async Task<string> CreateAsync(CreatePaymentStep step, CancellationToken cancellationToken)
    {
        CreatePaymentRequestDto body = new(step.Amount.ToString(CultureInfo.InvariantCulture), step.Currency, step.Network, step.OrderId, null, step.ExpiresInSeconds);
        using HttpResponseMessage response = await Api.PostAsJsonAsync("v1/payments", body, SimulatorJsonContext.Default.CreatePaymentRequestDto, cancellationToken).ConfigureAwait(false);
        return (await ReadAsync(response, SimulatorJsonContext.Default.PaymentDto, cancellationToken).ConfigureAwait(false)).Id;
    }

    /// <summary>Reads a payment's status and the amount received so far.</summary>
    public abstract Task<(string Status, decimal? AmountReceived)> GetAsync(string paymentId, CancellationToken cancellationToken);

    /// <summary>Makes funds arrive: <paramref name="amount"/>, or whatever is still owed.</summary>
    public abstract Task PayAsync(string paymentId, decimal? amount, CancellationToken cancellationToken);

    /// <summary>Confirms a paid payment.</summary>
    public abstract Task ConfirmAsync(string paymentId, CancellationToken cancellationToken);

    /// <summary>Expires a payment.</summary>
    public abstract Task ExpireAsync(string paymentId, CancellationToken cancellationToken);

    /// <summary>Moves the manual clock forward.</summary>
    public abstract Task AdvanceClockAsync(double seconds, CancellationToken cancellationToken);

    /// <summary>Registers a webhook endpoint and answers its id.</summary>
    public abstract Task<string> AddEndpointAsync(Uri url, CancellationToken cancellationToken);

    /// <summary>Removes a webhook endpoint registered for the run.</summary>
    public abstract Task RemoveEndpointAsync(string endpointId, CancellationToken cancellationToken);

    /// <summary>Waits until no delivery of the payment is running or due; <see langword="false"/> when <paramref name="timeout"/> passed first.</summary>
    public abstract Task<bool> WaitForDeliveriesAsync(string paymentId, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Lists a payment's deliveries, with their attempts.</summary>
    public abstract Task<IReadOnlyList<SimulatedDelivery>> DeliveriesAsync(string paymentId, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => Api.Dispose();

    /// <summary>Reads a success's body, or turns an error answer into the <see cref="SimulatorException"/> it stands for.</summary>
    protected static async Task<T> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            ErrorResponseDto? error = null;
            try
            {
                error = await response.Content.ReadFromJsonAsync(SimulatorJsonContext.Default.ErrorResponseDto, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Text.Json.JsonException)
            {
                // Not the simulator's error shape (a proxy, another server): the status says enough.
            }

            throw new SimulatorException(
                error?.Error.Code ?? "http_" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
                $"{(int)response.StatusCode} {error?.Error.Code}: {error?.Error.Message ?? response.ReasonPhrase}");
        }

        return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new SimulatorException("invalid_response", $"{(int)response.StatusCode}: an empty body where a JSON answer was expected.");
    }
}
