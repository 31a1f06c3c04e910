using Kobbopay.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>The request's headers as the signature schemes read them; a struct, so the schemes' generic <c>Verify</c> runs without boxing.</summary>
internal readonly struct HttpRequestWebhookHeaders(IHeaderDictionary headers) : IWebhookHeaders
{
    private readonly IHeaderDictionary _headers = headers;

    /// <summary>Gets a header by name (case-insensitive); a header sent on several lines comes back as one value, the lines separated by a space, which both schemes read as separate entries.</summary>
    public string? GetHeader(string name)
    {
        StringValues values = _headers[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => string.Join(' ', values.ToArray()),
        };
    }
}
