namespace Kobbopay.Simulator.Tests.TestSupport;

/// <summary>One simulator shared by the tests of a class that never change its state in a way other tests see.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    private KobbopaySimulator? _simulator;

    public KobbopaySimulator Simulator => _simulator ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async ValueTask InitializeAsync() => _simulator = await KobbopaySimulator.StartAsync(Sim.Options(), Sim.Ct);

    public async ValueTask DisposeAsync()
    {
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }
}
