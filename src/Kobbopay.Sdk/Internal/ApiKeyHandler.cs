namespace Kobbopay.Sdk.Internal;

/// <summary>
/// Adds the API key to every request, innermost, so it is never visible to the handlers that log.
/// Refuses to send the key over plain HTTP to anything but a loopback address.
/// </summary>
internal sealed class ApiKeyHandler(string headerName, string apiKey) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri? uri = request.RequestUri;
        if (uri is null || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            throw new KobbopayException($"Refusing to send the API key to {uri?.GetLeftPart(UriPartial.Authority) ?? "(no address)"}: HTTPS is required except for loopback.");
        }

        request.Headers.Remove(headerName);
        request.Headers.TryAddWithoutValidation(headerName, apiKey);
        return base.SendAsync(request, cancellationToken);
    }
}
