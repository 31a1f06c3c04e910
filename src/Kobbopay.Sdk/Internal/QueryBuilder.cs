using System.Globalization;
using System.Text;

namespace Kobbopay.Sdk.Internal;

/// <summary>Builds a relative path with an escaped query string.</summary>
internal sealed class QueryBuilder(string path)
{
    private readonly StringBuilder _text = new(path);
    private bool _first = true;

    public void Add(string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        _text.Append(_first ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        _first = false;
    }

    public void Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public void Add(string name, DateTimeOffset? value) =>
        Add(name, value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));

    public override string ToString() => _text.ToString();
}
