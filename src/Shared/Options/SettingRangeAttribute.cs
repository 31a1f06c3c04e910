using System.Globalization;

namespace Kobbopay.Shared.Options;

/// <summary>Requires a whole number, a real number or a duration within bounds: <c>{key} must be {rule}; it is {value}.</c></summary>
internal sealed class SettingRangeAttribute : SettingRuleAttribute
{
    private readonly IComparable _minimum;
    private readonly IComparable _maximum;
    private readonly string _rule;

    /// <summary>Initializes a new instance of the <see cref="SettingRangeAttribute"/> class for an <see cref="int"/> or <see cref="long"/> setting.</summary>
    /// <param name="minimum">The smallest value accepted.</param>
    /// <param name="maximum">The largest value accepted.</param>
    /// <param name="rule">The bounds in words, for the message: <c>between 0 and 20</c>.</param>
    public SettingRangeAttribute(long minimum, long maximum, string rule)
        : this((IComparable)minimum, maximum, rule)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SettingRangeAttribute"/> class for a <see cref="double"/> setting; NaN is refused.</summary>
    /// <param name="minimum">The smallest value accepted.</param>
    /// <param name="maximum">The largest value accepted.</param>
    /// <param name="rule">The bounds in words, for the message.</param>
    public SettingRangeAttribute(double minimum, double maximum, string rule)
        : this((IComparable)minimum, maximum, rule)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SettingRangeAttribute"/> class for a <see cref="TimeSpan"/> setting.</summary>
    /// <param name="minimum">The shortest duration accepted, in the invariant <c>c</c> format (<c>00:00:00.010</c>).</param>
    /// <param name="maximum">The longest duration accepted, in the same format (<c>1.00:00:00</c>).</param>
    /// <param name="rule">The bounds in words, for the message.</param>
    public SettingRangeAttribute(string minimum, string maximum, string rule)
        : this(TimeSpan.ParseExact(minimum, "c", CultureInfo.InvariantCulture), TimeSpan.ParseExact(maximum, "c", CultureInfo.InvariantCulture), rule)
    {
    }

    private SettingRangeAttribute(IComparable minimum, IComparable maximum, string rule)
    {
        _minimum = minimum;
        _maximum = maximum;
        _rule = rule;
    }

    /// <summary>Gets or sets a value indicating whether the minimum itself is refused.</summary>
    public bool MinimumIsExclusive { get; set; }

    /// <inheritdoc/>
    protected override string? Check(object? value)
    {
        // int settings are compared with long bounds; NaN compares below every number, so it is refused.
        IComparable? comparable = value is int i ? (long)i : value as IComparable;
        if (comparable is not null && comparable.GetType() == _minimum.GetType())
        {
            int fromMinimum = comparable.CompareTo(_minimum);
            if ((MinimumIsExclusive ? fromMinimum > 0 : fromMinimum >= 0) && comparable.CompareTo(_maximum) <= 0)
            {
                return null;
            }
        }

        string shown = value switch
        {
            null => "(null)",
            TimeSpan duration => duration.ToString("c", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
        return $"must be {_rule}; it is {shown}.";
    }
}
