using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Kobbopay.Shared.Options;

/// <summary>
/// Checks enum-typed settings: every one we bind goes through here, so each failure reads the same way, naming the
/// setting and listing the allowed values: <c>Kobbopay:Environment must be one of NonProduction, Production; it is 'Test'.</c>
/// </summary>
/// <remarks>
/// The configuration binder (the source-generated one included) parses an enum as <see cref="Enum.Parse{TEnum}(string, bool)"/>
/// does, ignoring case, and on a value that names no member throws "Requested value 'Test' was not found", naming neither
/// the key nor the allowed values. <see cref="ThrowIfInvalid{TOptions}(string?, string?[])"/> runs before the binder, as the
/// first step of the options' configuration, and fails the same way a validator does. Generic throughout: no reflection,
/// Native AOT clean. Only enum values are ever shown, never another setting's.
/// </remarks>
internal static class EnumSettings
{
    private const int MaxShownLength = 40;

    /// <summary>Checks the text configuration holds for an enum setting, as the binder will parse it.</summary>
    /// <typeparam name="TEnum">The setting's type.</typeparam>
    /// <param name="configuration">The section the options are bound from.</param>
    /// <param name="key">The setting's key within <paramref name="configuration"/>, for example <c>Environment</c>.</param>
    /// <param name="section">The configuration path of <paramref name="configuration"/>, for the message.</param>
    /// <returns>The message, or <see langword="null"/> when the value is absent or names a member.</returns>
    public static string? Check<TEnum>(IConfiguration configuration, string key, string section)
        where TEnum : struct, Enum
    {
        string? value = configuration[key];
        return value is null || (Enum.TryParse(value, ignoreCase: true, out TEnum parsed) && Enum.IsDefined(parsed))
            ? null
            : Message<TEnum>(section + ":" + key, value);
    }

    /// <summary>Checks an enum setting's value, as set in code (a cast can make a value that names no member).</summary>
    /// <typeparam name="TEnum">The setting's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="key">The setting's configuration key, for the message: <c>Kobbopay:Environment</c>.</param>
    /// <returns>The message, or <see langword="null"/> when the value names a member.</returns>
    public static string? Check<TEnum>(TEnum value, string key)
        where TEnum : struct, Enum =>
        Enum.IsDefined(value) ? null : Message<TEnum>(key, value.ToString());

    /// <summary>Stops the options from being created when any check failed, as a failed validation does.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="name">The options' name.</param>
    /// <param name="problems">The results of <see cref="Check{TEnum}(IConfiguration, string, string)"/>, one per enum setting.</param>
    /// <exception cref="OptionsValidationException">A value names no member; the message lists each such setting.</exception>
    public static void ThrowIfInvalid<TOptions>(string? name, params string?[] problems)
    {
        string[] failures = [.. problems.OfType<string>()];
        if (failures.Length > 0)
        {
            throw new OptionsValidationException(name ?? Microsoft.Extensions.Options.Options.DefaultName, typeof(TOptions), failures);
        }
    }

    private static string Message<TEnum>(string key, string value)
        where TEnum : struct, Enum
    {
        string shown = value.Length > MaxShownLength ? string.Concat(value.AsSpan(0, MaxShownLength), "…") : value;
        return $"{key} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}; it is '{shown}'.";
    }
}
