using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Kobbopay.EventStore.Internal;

/// <summary>
/// Requires a table or schema name the store can quote into its SQL: letters, digits and underscores, starting with a
/// letter or underscore, at most 48 characters (room for the index names made from it). <see langword="null"/> and empty fail.
/// </summary>
/// <param name="key">The setting's configuration key, which the message names.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed partial class IdentifierAttribute(string key)
    : ValidationAttribute(key + " must be letters, digits and underscores, start with a letter or underscore, and be at most 48 characters.")
{
    /// <inheritdoc/>
    public override bool IsValid(object? value) => value is string name && Pattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,47}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
