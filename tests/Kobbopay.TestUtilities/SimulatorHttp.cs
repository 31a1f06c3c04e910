using System.Text;

namespace Kobbopay.TestUtilities;

/// <summary>Creates <see cref="HttpClient"/> instances that talk to a simulator on loopback.</summary>
public static class SimulatorHttp
{
    /// <summary>The response header that carries the request id.</summary>
    public const string RequestIdHeader = "x-request-id";

    /// <summary>The default API key header name.</summary>
    public const string DefaultApiKeyHeaderName = "x-api-key";

    /// <summary>Creates a client for <paramref name="baseAddress"/> that sends <paramref name="apiKey"/> on every request.</summary>
    /// <param name="baseAddress">The simulator's base address (with a trailing slash).</param>
    /// <param name="apiKey">The API key to send, or <see langword="null"/> to send none.</param>
    /// <param name="apiKeyHeaderName">The header that carries the key.</param>
    /// <param name="reuseConnections">
    /// <see langword="false"/> sends <c>Connection: close</c>, so each request gets a fresh connection and the
    /// handler never silently re-sends a request whose pooled connection was dropped.
    /// </param>
    /// <returns>A client the caller disposes.</returns>
    public static HttpClient CreateClient(
        Uri baseAddress,
        string? apiKey,
        string apiKeyHeaderName = DefaultApiKeyHeaderName,
        bool reuseConnections = true)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // Lets a test send a non-ASCII header value (UTF-8) to check that the server rejects it.
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        };
        var client = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(apiKeyHeaderName, apiKey);
        }

        if (!reuseConnections)
        {
            client.DefaultRequestHeaders.ConnectionClose = true;
        }

        return client;
    }
}
