using Kobbopay.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Kobbopay.Benchmarks;

/// <summary>
/// An ASP.NET Core header collection as a signature scheme reads it, so that our scheme and the StandardWebhooks package
/// read the same <see cref="IHeaderDictionary"/>. One dictionary lookup per header, as Kobbopay.AspNetCore's own
/// (internal) adapter does; an absent header reads as empty, which the schemes treat as missing.
/// </summary>
internal readonly struct HeaderDictionaryWebhookHeaders(IHeaderDictionary headers) : IWebhookHeaders
{
    public string? GetHeader(string name) => headers[name].ToString();
}
