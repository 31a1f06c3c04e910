using System.Globalization;
using System.Security.Cryptography;

namespace Kobbopay.Simulator.Internal;

/// <summary>Formatting and id helpers shared by the API and the control API.</summary>
internal static class Wire
{
    private const string IdAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    // The largest multiple of the alphabet's size that fits in a byte (252): bytes below it map onto the alphabet evenly.
    private static readonly int UnbiasedLimit = 256 - (256 % IdAlphabet.Length);

    private const int RandomBufferBytes = 1024;

    // This thread's random bytes for ids and how many of them, at the end of the buffer, are still unused.
    [ThreadStatic]
    private static byte[]? _random;

    [ThreadStatic]
    private static int _randomLeft;

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string? Timestamp(DateTimeOffset? value) => value is { } v ? Timestamp(v) : null;

    public static string Money(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string? Money(decimal? value) => value is { } v ? Money(v) : null;

    public static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>
    /// Draws <paramref name="length"/> characters of <c>[0-9a-z]</c>, each equally likely, after <paramref name="prefix"/>.
    /// The random bytes come from <see cref="RandomNumberGenerator"/> 1 KiB at a time per thread, each byte used once; a
    /// byte at or above <see cref="UnbiasedLimit"/> is skipped. (A call to the system's generator costs about 2 us here
    /// whatever its size, and a create draws four ids: one call per id was about a twentieth of a create's CPU.)
    /// </summary>
    public static string NewId(string prefix, int length = 24) =>
        string.Create(prefix.Length + length, prefix, static (chars, prefix) =>
        {
            prefix.CopyTo(chars);
            Span<char> id = chars[prefix.Length..];
            byte[] random = _random ??= new byte[RandomBufferBytes];
            for (int i = 0; i < id.Length;)
            {
                if (_randomLeft == 0)
                {
                    RandomNumberGenerator.Fill(random);
                    _randomLeft = random.Length;
                }

                byte b = random[random.Length - _randomLeft--];
                if (b < UnbiasedLimit)
                {
                    id[i++] = IdAlphabet[b % IdAlphabet.Length];
                }
            }
        });

    /// <summary>Removes trailing fractional zeros, so 10.50 and 10.5 compare and print alike.</summary>
    public static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;

    /// <summary>Counts the decimal places a value needs, ignoring trailing zeros.</summary>
    public static int Scale(decimal value) => Normalize(value).Scale;
}
