using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kobbopay.Simulator.Internal;

/// <summary>The create body, parsed field by field so that every rejection names its field.</summary>
internal sealed record ParsedCreate(
    decimal Amount,
    string Currency,
    string Network,
    string OrderId,
    IReadOnlyDictionary<string, string>? Metadata,
    int? ExpiresInSeconds)
{
    /// <summary>A canonical form of the request: equal for requests that mean the same thing.</summary>
    public string Fingerprint()
    {
        StringBuilder sb = new();
        Append(sb, Wire.Normalize(Amount).ToString(CultureInfo.InvariantCulture));
        Append(sb, Currency.ToUpperInvariant());
        Append(sb, Network.ToUpperInvariant());
        Append(sb, OrderId);
        Append(sb, ExpiresInSeconds?.ToString(CultureInfo.InvariantCulture) ?? "-");
        if (Metadata is null)
        {
            sb.Append("null;");
        }
        else
        {
            foreach (KeyValuePair<string, string> kv in Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                Append(sb, kv.Key);
                Append(sb, kv.Value);
            }
        }

        return sb.ToString();

        static void Append(StringBuilder sb, string value) => sb.Append(value.Length).Append(':').Append(value).Append(';');
    }
}

internal static class CreatePaymentParser
{
    public const int MinExpiresInSeconds = 60;
    public const int MaxExpiresInSeconds = 604_800;
    private const int MaxMetadataEntries = 50;

    public static (ParsedCreate? Value, ApiError? Error) Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
        }
        catch (JsonException)
        {
            return (null, new ApiError(400, "invalid_request", "The request body is not valid JSON (or repeats a property)."));
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, new ApiError(400, "invalid_request", "The request body must be a JSON object."));
            }

            if (ParseAmount(root, out decimal amount) is { } e1)
            {
                return (null, e1);
            }

            if (Code(root, "currency", 16, out string currency) is { } e2)
            {
                return (null, e2);
            }

            if (Code(root, "network", 64, out string network) is { } e3)
            {
                return (null, e3);
            }

            if (ParseOrderId(root, out string orderId) is { } e4)
            {
                return (null, e4);
            }

            if (ParseMetadata(root, out Dictionary<string, string>? metadata) is { } e5)
            {
                return (null, e5);
            }

            if (ParseExpires(root, out int? expires) is { } e6)
            {
                return (null, e6);
            }

            return (new ParsedCreate(amount, currency, network, orderId, metadata, expires), null);
        }
    }

    /// <summary>Parses a decimal string: digits, an optional fraction, no sign, no exponent.</summary>
    public static bool TryParseMoney(string text, out decimal value)
    {
        value = 0;
        if (text.Length is 0 or > 40)
        {
            return false;
        }

        int dot = text.IndexOf('.', StringComparison.Ordinal);
        string whole = dot < 0 ? text : text[..dot];
        string fraction = dot < 0 ? string.Empty : text[(dot + 1)..];
        if (whole.Length == 0 || (dot >= 0 && fraction.Length == 0)
            || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit)
            || (whole.Length > 1 && whole[0] == '0'))
        {
            return false;
        }

        string significantFraction = fraction.TrimEnd('0');
        if (whole.TrimStart('0').Length + significantFraction.Length > 28 || whole.Length > 20)
        {
            return false;
        }

        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    private static ApiError? ParseAmount(JsonElement root, out decimal amount)
    {
        amount = 0;
        if (!root.TryGetProperty("amount", out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return ApiError.Invalid("amount", "amount is required: a decimal string such as \"10.50\".");
        }

        if (e.ValueKind != JsonValueKind.String)
        {
            return ApiError.Invalid("amount", "amount must be a decimal string such as \"10.50\", not a JSON " + Kind(e) + ".");
        }

        string text = e.GetString()!;
        if (text.StartsWith('-'))
        {
            return ApiError.Invalid("amount", "amount must be greater than zero.");
        }

        if (!TryParseMoney(text, out amount))
        {
            return ApiError.Invalid("amount", "amount must be a decimal string of digits with an optional fraction (\"10.50\"): no sign, exponent, spaces or more than 28 digits.");
        }

        return amount <= 0 ? ApiError.Invalid("amount", "amount must be greater than zero.") : null;
    }

    private static ApiError? Code(JsonElement root, string name, int maxLength, out string value)
    {
        value = string.Empty;
        if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return ApiError.Invalid(name, $"{name} is required.");
        }

        if (e.ValueKind != JsonValueKind.String)
        {
            return ApiError.Invalid(name, $"{name} must be a string, not a JSON {Kind(e)}.");
        }

        value = e.GetString()!;
        if (value.Length == 0 || value.Length > maxLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return ApiError.Invalid(name, $"{name} must be 1 to {maxLength} characters of letters, digits, '-', '_' or '.'.");
        }

        return null;
    }

    private static ApiError? ParseOrderId(JsonElement root, out string value)
    {
        value = string.Empty;
        if (!root.TryGetProperty("orderId", out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return ApiError.Invalid("orderId", "orderId is required.");
        }

        if (e.ValueKind != JsonValueKind.String)
        {
            return ApiError.Invalid("orderId", $"orderId must be a string, not a JSON {Kind(e)}.");
        }

        value = e.GetString()!;
        if (value.Length is 0 or > 128 || value.Any(char.IsControl) || string.IsNullOrWhiteSpace(value))
        {
            return ApiError.Invalid("orderId", "orderId must be 1 to 128 printable characters.");
        }

        return null;
    }

    private static ApiError? ParseMetadata(JsonElement root, out Dictionary<string, string>? metadata)
    {
        metadata = null;
        if (!root.TryGetProperty("metadata", out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            return ApiError.Invalid("metadata", $"metadata must be an object of string values, not a JSON {Kind(e)}.");
        }

        metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (metadata.Count == MaxMetadataEntries)
            {
                return ApiError.Invalid("metadata", $"metadata may hold at most {MaxMetadataEntries} entries.");
            }

            if (p.Name.Length is 0 or > 40 || p.Name.Any(char.IsControl))
            {
                return ApiError.Invalid("metadata", "metadata keys must be 1 to 40 printable characters.");
            }

            if (p.Value.ValueKind != JsonValueKind.String)
            {
                return ApiError.Invalid("metadata", $"metadata value '{p.Name}' must be a string, not a JSON {Kind(p.Value)}.");
            }

            string v = p.Value.GetString()!;
            if (v.Length > 500)
            {
                return ApiError.Invalid("metadata", $"metadata value '{p.Name}' is longer than 500 characters.");
            }

            metadata[p.Name] = v;
        }

        return null;
    }

    private static ApiError? ParseExpires(JsonElement root, out int? seconds)
    {
        seconds = null;
        if (!root.TryGetProperty("expiresInSeconds", out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        string range = $"expiresInSeconds must be a whole number from {MinExpiresInSeconds} to {MaxExpiresInSeconds}.";
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int value))
        {
            return ApiError.Invalid("expiresInSeconds", range);
        }

        if (value is < MinExpiresInSeconds or > MaxExpiresInSeconds)
        {
            return ApiError.Invalid("expiresInSeconds", range);
        }

        seconds = value;
        return null;
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        JsonValueKind.String => "string",
        _ => "null",
    };
}
