using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Kobbopay.EventStore.Internal;

/// <summary>
/// Requires a <see cref="TimeSpan"/> between two bounds, both included. <see cref="RangeAttribute"/> can say the same only
/// through a type converter, which is not trimming-safe; this one compares the values.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class TimeSpanRangeAttribute : ValidationAttribute
{
    /// <summary>Initializes a new instance of the <see cref="TimeSpanRangeAttribute"/> class.</summary>
    /// <param name="minimum">The smallest value accepted, in the invariant <see cref="TimeSpan"/> format (<c>12:00:00</c>).</param>
    /// <param name="maximum">The largest value accepted, in the same format; <see langword="null"/> for no limit.</param>
    public TimeSpanRangeAttribute(string minimum, string? maximum = null)
    {
        Minimum = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);
        Maximum = maximum is null ? TimeSpan.MaxValue : TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);
    }

    /// <summary>Gets the smallest value accepted.</summary>
    public TimeSpan Minimum { get; }

    /// <summary>Gets the largest value accepted.</summary>
    public TimeSpan Maximum { get; }

    /// <inheritdoc/>
    public override bool IsValid(object? value) => value is not TimeSpan time || (time >= Minimum && time <= Maximum);
}
