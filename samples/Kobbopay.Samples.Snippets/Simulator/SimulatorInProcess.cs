using Kobbopay.Simulator;

namespace Shop;

public static class SimulatorInProcess
{
    public static async Task RunAsync()
    {
        // snippet: simulator-in-process
        await using var sim = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions
        {
            Faults = new SimulatorFaultOptions { Seed = 7, UnavailableRate = 0.2, RateLimitRate = 0.1 },
        });
        using var http = new HttpClient { BaseAddress = sim.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", sim.TestApiKey);
        // ... create payments, then sim.Pay(id), sim.Confirm(id), sim.Clock.Advance(TimeSpan.FromHours(1)),
        // and assert on sim.Requests.
        // end snippet
    }
}
