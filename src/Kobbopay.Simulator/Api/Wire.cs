using System.Globalization;
using System.Security.Cryptography;

namespace Kobbopay.Simulator.Internal;

/// <summary>Formatting and id helpers shared by the API and the control API.</summary>
internal static class Wire
{
    private const string IdAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string? Timestamp(DateTimeOffset? value) => value is { } v ? Timestamp(v) : null;

    public static string Money(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string? Money(decimal? value) => value is { } v ? Money(v) : null;

    public static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    public static string NewId(string prefix, int length = 24) =>
        string.Concat(prefix, new string(RandomNumberGenerator.GetItems<char>(IdAlphabet, length)));

    /// <summary>Removes trailing fractional zeros, so 10.50 and 10.5 compare and print alike.</summary>
    public static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;

    /// <summary>Counts the decimal places a value needs, ignoring trailing zeros.</summary>
    public static int Scale(decimal value) => Normalize(value).Scale;
}
