using Kobbopay.Sdk;
using Kobbopay.Simulator;

namespace Shop.PackageReadmes;

// src/Kobbopay.Simulator/README.md: the package's use.
public static class SimulatorPackage
{
    public static async Task UseAsync()
    {
        // snippet: simulator
        await using KobbopaySimulator sim = await KobbopaySimulator.StartAsync();
        KobbopayClient client = KobbopayClient.Create(new KobbopayClientOptions { BaseAddress = sim.BaseAddress, ApiKey = sim.TestApiKey });
        // end snippet
        _ = client;
    }
}
