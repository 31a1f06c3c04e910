using System.ComponentModel.DataAnnotations;

namespace Kobbopay.EventStore.Internal;

/// <summary>
/// Requires a retention of completed events longer than the gateway's whole retry horizon (about 10.7 hours), so that a
/// late redelivery is still recognised: at least <see cref="Minimum"/>.
/// </summary>
/// <param name="key">The setting's configuration key, which the message names.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class RetentionAttribute(string key)
    : ValidationAttribute(key + " must be at least 12 hours, longer than the gateway's whole retry horizon (about 10.7 hours).")
{
    /// <summary>The shortest retention accepted.</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromHours(12);

    /// <inheritdoc/>
    public override bool IsValid(object? value) => value is TimeSpan retention && retention >= Minimum;
}
