using Kobbopay.Shared.Options;

namespace Kobbopay.Sdk.Internal;

/// <summary>
/// Adds the API key to every request, innermost, so it is never visible to the handlers that log. The key is read
/// from the client's settings on every request, so a configuration reload that changes it is in use from the next
/// call (an invalid one is refused and the last valid key stays). Refuses to send the key over plain HTTP to anything
/// but a loopback address.
/// </summary>
internal sealed class ApiKeyHandler(ReloadingOptions<KobbopayClientOptions, KobbopayClientOptions> settings) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri? uri = request.RequestUri;
        if (uri is null || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            throw new KobbopayException($"Refusing to send the API key to {uri?.GetLeftPart(UriPartial.Authority) ?? "(no address)"}: HTTPS is required except for loopback.");
        }

        KobbopayClientOptions current = settings.Current;
        request.Headers.Remove(current.ApiKeyHeaderName);
        request.Headers.TryAddWithoutValidation(current.ApiKeyHeaderName, current.ApiKey);
        return base.SendAsync(request, cancellationToken);
    }
}
