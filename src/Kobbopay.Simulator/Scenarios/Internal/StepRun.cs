using System.Globalization;

namespace Kobbopay.Simulator.Scenarios.Internal;

/// <summary>Runs the steps of one scenario in order, remembering the payments they named.</summary>
internal sealed class StepRun(ScenarioTarget target, ScenarioRunnerOptions options, IReadOnlyDictionary<string, string> endpointIds)
{
    private readonly Dictionary<string, string> _payments = new(StringComparer.Ordinal);

    /// <summary>Runs a step; answers why it failed, starting with <paramref name="title"/>, or <see langword="null"/> when it passed.</summary>
    public async Task<string?> RunAsync(ScenarioStep step, string title, CancellationToken cancellationToken)
    {
        if (step is PaymentStep { Payment: var name } && !_payments.ContainsKey(name))
        {
            return $"{title}: no earlier step created a payment named '{name}'.";
        }

        try
        {
            return step switch
            {
                CreatePaymentStep create => await CreateAsync(create, cancellationToken).ConfigureAwait(false),
                PayStep pay => await Done(target.PayAsync(_payments[pay.Payment], pay.Amount, cancellationToken)).ConfigureAwait(false),
                PayPartStep part => await Done(target.PayAsync(_payments[part.Payment], part.Amount, cancellationToken)).ConfigureAwait(false),
                ConfirmStep confirm => await Done(target.ConfirmAsync(_payments[confirm.Payment], cancellationToken)).ConfigureAwait(false),
                ExpireStep expire => await Done(target.ExpireAsync(_payments[expire.Payment], cancellationToken)).ConfigureAwait(false),
                AdvanceClockStep advance => await Done(target.AdvanceClockAsync(advance.Seconds, cancellationToken)).ConfigureAwait(false),
                ExpectStatusStep expect => await ExpectStatusAsync(expect, cancellationToken).ConfigureAwait(false),
                ExpectDeliveryStep expect => await ExpectDeliveryAsync(expect, cancellationToken).ConfigureAwait(false),
                _ => $"this runner does not know the step kind '{step.Kind}'.",
            } is { } failure ? $"{title}: {failure}" : null;
        }
        catch (SimulatorException ex)
        {
            return $"{title}: the simulator refused: {ex.Message}";
        }
        catch (HttpRequestException ex)
        {
            return $"{title}: the simulator did not answer: {ex.Message}";
        }
    }

    private static async Task<string?> Done(Task action)
    {
        await action.ConfigureAwait(false);
        return null;
    }

    private static string Money(decimal? amount) => amount?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private async Task<string?> CreateAsync(CreatePaymentStep step, CancellationToken cancellationToken)
    {
        _payments[step.As] = await target.CreateAsync(step, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task<string?> ExpectStatusAsync(ExpectStatusStep step, CancellationToken cancellationToken)
    {
        (string status, decimal? received) = await target.GetAsync(_payments[step.Payment], cancellationToken).ConfigureAwait(false);
        if (!string.Equals(status, step.Status, StringComparison.Ordinal))
        {
            return $"expected {step.Status}, was {status}";
        }

        return step.AmountReceived is { } expected && received != expected
            ? $"expected amountReceived {Money(expected)}, was {Money(received)}"
            : null;
    }

    private async Task<string?> ExpectDeliveryAsync(ExpectDeliveryStep step, CancellationToken cancellationToken)
    {
        if (!endpointIds.TryGetValue(step.Endpoint, out string? endpointId))
        {
            return $"the endpoint '{step.Endpoint}' is not declared by the scenario.";
        }

        string paymentId = _payments[step.Payment];
        string expected = $"expected {step.Event} delivered to {step.Endpoint} and answered {step.Status}";
        if (!await target.WaitForDeliveriesAsync(paymentId, options.DeliveryTimeout, cancellationToken).ConfigureAwait(false))
        {
            return $"{expected}; the deliveries did not settle within {options.DeliveryTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (ScenarioRunnerOptions.DeliveryTimeout).";
        }

        IReadOnlyList<SimulatedDelivery> deliveries = await target.DeliveriesAsync(paymentId, cancellationToken).ConfigureAwait(false);
        List<SimulatedDelivery> matching = [.. deliveries.Where(d => d.EndpointId == endpointId && d.EventType == step.Event)];
        if (matching.Any(d => d.Attempts.Any(a => a.StatusCode == step.Status)))
        {
            return null;
        }

        if (matching.Count == 0)
        {
            IEnumerable<string> sent = deliveries.Where(d => d.EndpointId == endpointId).Select(d => d.EventType);
            return $"{expected}, was no {step.Event} delivery to {step.Endpoint} (it was sent: {(sent.Any() ? string.Join(", ", sent) : "nothing")})";
        }

        IEnumerable<string> answers = matching.SelectMany(d => d.Attempts).Select(a => a.StatusCode == 0 ? $"no answer ({a.Error ?? a.Fault})" : a.StatusCode.ToString(CultureInfo.InvariantCulture));
        return $"{expected}, was answered {string.Join(", ", answers.DefaultIfEmpty("nothing yet"))}";
    }
}
