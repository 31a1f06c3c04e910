using Kobbopay.Shared.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>
/// Reads the endpoint's settings when the host starts, right after the options were validated: the settings read once
/// (<see cref="IOptions{TOptions}"/>) and those that follow configuration reloads. Both then hold a valid value before
/// the first delivery, so a reload refused before it leaves the last valid secrets in use, as one refused later does.
/// </summary>
/// <param name="options">The settings read once.</param>
/// <param name="settings">The settings that follow reloads; creating them starts the following.</param>
internal sealed class KobbopayWebhookSettingsStartup(IOptions<KobbopayWebhookOptions> options, ReloadingOptions<KobbopayWebhookOptions, KobbopayWebhookSettings> settings) : IHostedService
{
    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = options.Value;
        _ = settings.Current;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
