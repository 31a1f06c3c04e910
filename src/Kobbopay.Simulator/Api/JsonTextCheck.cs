using System.Text.Json;
using System.Text.Unicode;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// Finds text in a JSON body that cannot become a .NET string: bytes that are not UTF-8 inside a string, or an
/// escaped surrogate without its pair (<c>"\ud800x"</c>). Both would otherwise throw from the first read of the value,
/// far from the request, and answer 500; found here, they answer 400 naming the field.
/// </summary>
internal static class JsonTextCheck
{
    /// <summary>Looks for the first unreadable property name or string value.</summary>
    /// <param name="body">The raw body.</param>
    /// <param name="field">The JSON path of the unreadable text (for example <c>network</c> or <c>metadata.k</c>), or <c>$</c> at the top.</param>
    /// <returns><see langword="true"/> when such text was found. A body that is not JSON at all is left to the parser, which names that.</returns>
    public static bool TryFindUnreadableText(ReadOnlySpan<byte> body, out string field)
    {
        Utf8JsonReader reader = new(body, new JsonReaderOptions { MaxDepth = 64 });
        List<string> names = []; // the property names on the way to the current token; names[d - 1] is at depth d
        field = "$";
        try
        {
            while (reader.Read())
            {
                int depth = reader.CurrentDepth;
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    names.RemoveRange(Math.Max(depth - 1, 0), Math.Max(names.Count - (depth - 1), 0));
                    bool readable = TryRead(ref reader, out string? name);
                    names.Add(readable ? name! : "(a property name)");
                    if (!readable)
                    {
                        field = string.Join('.', names);
                        return true;
                    }
                }
                else if (reader.TokenType == JsonTokenType.String && !TryRead(ref reader, out _))
                {
                    field = depth == 0 || names.Count == 0 ? "$" : string.Join('.', names.Take(Math.Min(depth, names.Count)));
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the route's parser reports that, with its own message.
        }

        return false;
    }

    private static bool TryRead(ref Utf8JsonReader reader, out string? text)
    {
        text = null;
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            // The common case, on every body: unescaped text is readable exactly when its bytes are UTF-8 (no string made).
            return Utf8.IsValid(reader.ValueSpan);
        }

        try
        {
            text = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
