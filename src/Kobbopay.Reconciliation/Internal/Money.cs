using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Kobbopay.Reconciliation;

/// <summary>Money as reports write it: an invariant decimal string.</summary>
internal static class Money
{
    [return: NotNullIfNotNull(nameof(amount))]
    public static string? Format(decimal? amount) => amount?.ToString(CultureInfo.InvariantCulture);
}
