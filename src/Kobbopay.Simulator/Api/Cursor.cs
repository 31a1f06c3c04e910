using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// An opaque page cursor: the position after which the next page starts, bound to the list and
/// filters it was issued for. Positions are creation ordinals, so items created after a cursor
/// was issued never shift the pages that follow it.
/// </summary>
internal static class Cursor
{
    public static string Encode(char kind, long after, string scope) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{kind}1.{after.ToString(CultureInfo.InvariantCulture)}.{ScopeHash(scope)}"));

    /// <summary>Decodes a cursor; null when it is not one this list issued with these filters.</summary>
    public static ApiError? TryDecode(string text, char kind, string scope, long max, out long after)
    {
        after = 0;
        ApiError invalid = ApiError.Invalid("cursor", "cursor is not a cursor this list issued; pass nextCursor from the previous page unchanged.");
        if (text.Length is 0 or > 200)
        {
            return invalid;
        }

        byte[] raw;
        try
        {
            raw = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return invalid;
        }

        string[] parts = Encoding.ASCII.GetString(raw).Split('.');
        if (parts.Length != 3 || parts[0] != $"{kind}1"
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out after)
            || after < 1 || after > max)
        {
            return invalid;
        }

        if (!string.Equals(parts[2], ScopeHash(scope), StringComparison.Ordinal))
        {
            return ApiError.Invalid("cursor", "cursor was issued for other filters; keep the filters of the first page while paging.");
        }

        return null;
    }

    private static string ScopeHash(string scope) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope)).AsSpan(0, 6));
}
