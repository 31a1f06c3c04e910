using System.Text.RegularExpressions;

namespace Kobbopay.Shared.Options;

/// <summary>
/// Requires a text setting to match a pattern; <see langword="null"/> is refused too. The message, <c>{key} must be
/// {rule}.</c>, never shows the value.
/// </summary>
/// <param name="pattern">The pattern the whole value must match; anchor it (<c>^…\z</c>).</param>
/// <param name="rule">The pattern in words, for the message: <c>a header name of letters, digits, '-' or '_'</c>.</param>
internal sealed class SettingPatternAttribute(string pattern, string rule) : SettingRuleAttribute
{
    private readonly Regex _pattern = new(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <inheritdoc/>
    protected override string? Check(object? value) =>
        value is string text && _pattern.IsMatch(text) ? null : $"must be {rule}.";
}
