using System.Globalization;
using System.Text.Json;

namespace Kobbopay.TestUtilities;

/// <summary>Small readers over <see cref="JsonElement"/> for API answers.</summary>
public static class JsonExtensions
{
    /// <summary>Gets a property, throwing a readable error when it is missing.</summary>
    /// <param name="element">A JSON object.</param>
    /// <param name="name">The property name.</param>
    /// <returns>The property value.</returns>
    /// <exception cref="KeyNotFoundException">The property is missing.</exception>
    public static JsonElement Prop(this JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new KeyNotFoundException($"JSON has no property '{name}': {element.GetRawText()}");

    /// <summary>Gets a string property, <see langword="null"/> when the property is JSON null.</summary>
    /// <param name="element">A JSON object.</param>
    /// <param name="name">The property name.</param>
    /// <returns>The string or <see langword="null"/>.</returns>
    /// <exception cref="InvalidOperationException">The property is neither a string nor null.</exception>
    public static string? Str(this JsonElement element, string name)
    {
        var value = element.Prop(name);
        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => value.GetString(),
            _ => throw new InvalidOperationException($"'{name}' is {value.ValueKind}, not a string: {element.GetRawText()}"),
        };
    }

    /// <summary>Gets a decimal-string property parsed as a <see cref="decimal"/>, <see langword="null"/> for JSON null.</summary>
    /// <param name="element">A JSON object.</param>
    /// <param name="name">The property name.</param>
    /// <returns>The decimal or <see langword="null"/>.</returns>
    public static decimal? Dec(this JsonElement element, string name)
    {
        var text = element.Str(name);
        return text is null ? null : decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
    }

    /// <summary>Gets an RFC 3339 timestamp property, <see langword="null"/> for JSON null.</summary>
    /// <param name="element">A JSON object.</param>
    /// <param name="name">The property name.</param>
    /// <returns>The timestamp or <see langword="null"/>.</returns>
    public static DateTimeOffset? Time(this JsonElement element, string name)
    {
        var text = element.Str(name);
        return text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }

    /// <summary>Gets an integer property, <see langword="null"/> for JSON null.</summary>
    /// <param name="element">A JSON object.</param>
    /// <param name="name">The property name.</param>
    /// <returns>The integer or <see langword="null"/>.</returns>
    public static long? Int(this JsonElement element, string name)
    {
        var value = element.Prop(name);
        return value.ValueKind == JsonValueKind.Null ? null : value.GetInt64();
    }

    /// <summary>Gets the elements of an array property.</summary>
    /// <param name="element">A JSON object.</param>
    /// <param name="name">The property name.</param>
    /// <returns>The array items.</returns>
    public static IReadOnlyList<JsonElement> Items(this JsonElement element, string name)
        => [.. element.Prop(name).EnumerateArray()];

    /// <summary>Formats a timestamp as RFC 3339 UTC with whole seconds, escaped for a query string.</summary>
    /// <param name="value">The timestamp.</param>
    /// <returns>For example <c>2026-11-21T10%3A00%3A00Z</c>.</returns>
    public static string ToQueryTimestamp(this DateTimeOffset value)
        => Uri.EscapeDataString(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
