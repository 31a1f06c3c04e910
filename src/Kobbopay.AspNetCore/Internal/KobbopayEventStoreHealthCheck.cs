using Kobbopay.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>
/// The <c>kobbopay-event-store</c> check: every durable store registered (the <see cref="IWebhookEventStore"/>, the
/// <see cref="IWebhookInbox"/> when queued processing is on, and any other <see cref="IWebhookStoreProbe"/>) answers a cheap read. The in-memory store has nothing to reach.
/// </summary>
/// <param name="services">Where the stores are registered.</param>
internal sealed class KobbopayEventStoreHealthCheck(IServiceProvider services) : IHealthCheck
{
    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IWebhookEventStore? store = services.GetService<IWebhookEventStore>();
        List<IWebhookStoreProbe> probes = [.. services.GetServices<IWebhookStoreProbe>()];
        if (store is IWebhookStoreProbe storeProbe && !probes.Contains(storeProbe))
        {
            probes.Insert(0, storeProbe);
        }

        // The inbox is probed only when queued processing uses it (the store packages register one either way).
        if (services.GetService<KobbopayWebhooksRegistration>() is { Queued: true }
            && services.GetService<IWebhookInbox>() is IWebhookStoreProbe inboxProbe
            && !probes.Contains(inboxProbe))
        {
            probes.Add(inboxProbe);
        }

        if (probes.Count == 0)
        {
            return HealthCheckResult.Healthy(store is null
                ? "No Kobbopay webhook event store is registered."
                : $"The webhook event store ({store.GetType().Name}) keeps its records in memory: nothing to reach.");
        }

        Dictionary<string, object> data = [];
        List<string> failures = [];
        Exception? first = null;
        foreach (IWebhookStoreProbe probe in probes)
        {
            try
            {
                await probe.ProbeAsync(cancellationToken).ConfigureAwait(false);
                data[probe.Database] = "reachable";
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                data[probe.Database] = "unreachable";
                failures.Add($"{probe.Database} ({ex.GetType().Name})");
                first ??= ex;
            }
        }

        return failures.Count == 0
            ? HealthCheckResult.Healthy($"The webhook event store answered: {string.Join(", ", data.Keys)}.", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"The webhook event store cannot be reached: {string.Join(", ", failures)}. Deliveries are answered 503 until it is back.", first, data);
    }
}
