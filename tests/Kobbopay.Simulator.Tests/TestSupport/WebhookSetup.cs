using Microsoft.AspNetCore.Http;

namespace Kobbopay.Simulator.Tests.TestSupport;

/// <summary>The arrange steps of the webhook delivery tests: how a receiver answers, and a simulator with one payment delivered.</summary>
internal static class WebhookSetup
{
    /// <summary>Answers every request with <paramref name="status"/>.</summary>
    public static Func<WebhookReceiver.Received, Task<IResult>> Always(int status) => _ => Task.FromResult(Results.StatusCode(status));

    /// <summary>Answers the first request with <paramref name="first"/> and every later one with 200.</summary>
    public static Func<WebhookReceiver.Received, Task<IResult>> FirstThenOk(IResult first)
    {
        int calls = 0;
        return _ => Task.FromResult(Interlocked.Increment(ref calls) == 1 ? first : Results.Ok());
    }

    /// <summary>Creates a payment that stays open for a week, so no clock advance in a delivery test expires it (an expiry is one more event).</summary>
    public static Task<string> CreateWeekLongPaymentAsync(this SimulatorSession sim) => sim.CreatePaymentAsync(Payments.Body(expiresInSeconds: 604800));

    /// <summary>Starts a simulator delivering to <paramref name="receiver"/>, which answers with <paramref name="answer"/>; creates one payment and waits for its first attempt.</summary>
    public static async Task<SimulatorSession> StartWithOnePaymentDeliveredAsync(WebhookReceiver receiver, Func<WebhookReceiver.Received, Task<IResult>> answer)
    {
        receiver.Answer = answer;
        var sim = await SimulatorSession.StartAsync();
        sim.AddWebhookEndpoint(receiver.Url);
        await sim.CreateWeekLongPaymentAsync();
        await sim.WhenWebhooksIdleAsync();
        return sim;
    }
}
