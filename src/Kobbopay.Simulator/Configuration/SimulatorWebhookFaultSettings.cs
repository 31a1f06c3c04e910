namespace Kobbopay.Simulator.Internal.Configuration;

/// <summary>The webhook delivery faults from configuration (<c>Kobbopay:Simulator:WebhookFaults</c>); seeded by <c>Faults:Seed</c>.</summary>
internal sealed class SimulatorWebhookFaultSettings
{
    /// <summary>Gets or sets <see cref="SimulatorWebhookFaultOptions.DuplicateRate"/>.</summary>
    public double? DuplicateRate { get; set; }

    /// <summary>Gets or sets <see cref="SimulatorWebhookFaultOptions.DropFirstAttemptRate"/>.</summary>
    public double? DropFirstAttemptRate { get; set; }

    /// <summary>Gets or sets <see cref="SimulatorWebhookFaultOptions.ReorderRate"/>.</summary>
    public double? ReorderRate { get; set; }
}
