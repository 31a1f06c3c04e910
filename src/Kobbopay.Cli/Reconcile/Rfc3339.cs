using System.CommandLine.Parsing;
using System.Globalization;

namespace Kobbopay.Cli.Reconcile;

/// <summary>Reads an RFC 3339 time from the command line: <c>2026-11-01T00:00:00Z</c>, with an offset or <c>Z</c>, fractions allowed; or a date, <c>2026-11-01</c>, read as its UTC midnight.</summary>
internal static class Rfc3339
{
    private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd"];

    /// <summary>Parses the option's value, or adds an error naming the option.</summary>
    /// <param name="result">The option's argument.</param>
    /// <returns>The time, or <see langword="null"/> after an error.</returns>
    public static DateTimeOffset? Parse(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        bool hasOffset = text.Length == 10 || text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 19 && text[^6] is '+' or '-');
        if (hasOffset && DateTimeOffset.TryParseExact(text.ToUpperInvariant(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time))
        {
            return time;
        }

        string name = result.Parent is OptionResult option ? option.Option.Name : "the time";
        result.AddError($"{name} must be an RFC 3339 time such as 2026-11-01T00:00:00Z (or a date, 2026-11-01, read as UTC); it is '{text}'.");
        return null;
    }
}
