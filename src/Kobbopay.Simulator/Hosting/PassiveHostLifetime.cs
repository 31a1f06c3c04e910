using Microsoft.Extensions.Hosting;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// A host lifetime that leaves the process's signals alone: an embedded simulator must not take
/// Ctrl+C or SIGTERM from the test runner or program that hosts it. Its owner stops it by disposing.
/// </summary>
internal sealed class PassiveHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
