namespace Kobbopay.Simulator.Scenarios.Internal;

/// <summary>A simulator in this process: its own methods, and its own signal that deliveries are idle.</summary>
internal sealed class InProcessTarget(KobbopaySimulator simulator, HttpClient api) : ScenarioTarget(api)
{
    public override Task<(string Status, decimal? AmountReceived)> GetAsync(string paymentId, CancellationToken cancellationToken)
    {
        SimulatedPayment payment = simulator.GetPayment(paymentId);
        return Task.FromResult((payment.Status, payment.AmountReceived));
    }

    public override Task PayAsync(string paymentId, decimal? amount, CancellationToken cancellationToken)
    {
        simulator.Pay(paymentId, amount);
        return Task.CompletedTask;
    }

    public override Task ConfirmAsync(string paymentId, CancellationToken cancellationToken)
    {
        simulator.Confirm(paymentId);
        return Task.CompletedTask;
    }

    public override Task ExpireAsync(string paymentId, CancellationToken cancellationToken)
    {
        simulator.Expire(paymentId);
        return Task.CompletedTask;
    }

    public override Task AdvanceClockAsync(double seconds, CancellationToken cancellationToken)
    {
        try
        {
            simulator.Clock.Advance(TimeSpan.FromSeconds(seconds));
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new SimulatorException("invalid_request", ex.Message);
        }
        return Task.CompletedTask;
    }

    public override Task<string> AddEndpointAsync(Uri url, CancellationToken cancellationToken) =>
        Task.FromResult(simulator.AddWebhookEndpoint(url).Id);

    public override Task RemoveEndpointAsync(string endpointId, CancellationToken cancellationToken)
    {
        simulator.State.Dispatcher.Remove(endpointId);
        return Task.CompletedTask;
    }

    public override async Task<bool> WaitForDeliveriesAsync(string paymentId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await simulator.WhenWebhooksIdleAsync(limit.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public override Task<IReadOnlyList<SimulatedDelivery>> DeliveriesAsync(string paymentId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SimulatedDelivery>>([.. simulator.Deliveries.Where(d => d.PaymentId == paymentId)]);
}
