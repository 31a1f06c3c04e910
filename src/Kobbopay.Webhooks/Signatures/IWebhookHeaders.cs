namespace Kobbopay.Webhooks;

/// <summary>Gives a signature scheme the request headers it needs, from whatever host received the webhook.</summary>
public interface IWebhookHeaders
{
    /// <summary>Gets a header's value.</summary>
    /// <param name="name">The header name, matched case-insensitively.</param>
    /// <returns>The value (several header lines joined with a space, which every signature scheme reads as separate entries), or <see langword="null"/> when absent.</returns>
    string? GetHeader(string name);
}

/// <summary>Request headers held in a dictionary: for tests and hosts other than ASP.NET Core.</summary>
public sealed class WebhookHeaders : IWebhookHeaders
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Initializes a new, empty instance of the <see cref="WebhookHeaders"/> class.</summary>
    public WebhookHeaders()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WebhookHeaders"/> class with headers.</summary>
    /// <param name="headers">Name and value pairs; a repeated name is joined with a space.</param>
    public WebhookHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (KeyValuePair<string, string> header in headers)
        {
            Add(header.Key, header.Value);
        }
    }

    /// <summary>Adds a header; a repeated name is joined with a space (signature entries may hold commas, as Standard Webhooks' <c>v1,…</c> do).</summary>
    /// <param name="name">The name.</param>
    /// <param name="value">The value.</param>
    public void Add(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        _values[name] = _values.TryGetValue(name, out string? existing) ? existing + " " + value : value;
    }

    /// <inheritdoc/>
    public string? GetHeader(string name) => _values.GetValueOrDefault(name);

    /// <summary>Lists the header names only: values may hold signatures.</summary>
    /// <returns>The header names.</returns>
    public override string ToString() => "WebhookHeaders { " + string.Join(", ", _values.Keys) + " }";
}
