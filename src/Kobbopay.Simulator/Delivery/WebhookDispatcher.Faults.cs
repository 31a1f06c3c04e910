namespace Kobbopay.Simulator.Internal.Delivery;

/// <summary>The seeded webhook faults (duplicate, drop the first attempt, reorder).</summary>
internal sealed partial class WebhookDispatcher
{
    /// <summary>
    /// The seeded webhook faults in force. Setting them validates them and seeds the generator again, so the same seed
    /// draws the same faults from here on; <see cref="Pump"/> draws an attempt's faults as it starts it.
    /// </summary>
    public SimulatorWebhookFaultOptions Faults
    {
        get
        {
            lock (_gate)
            {
                return _faults;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            lock (_gate)
            {
                _faults = value;
                _random = new Random(value.Seed);
            }
        }
    }
}
