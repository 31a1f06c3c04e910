using System.Net;
using System.Text.Json;

namespace Kobbopay.TestUtilities;

/// <summary>A fully read HTTP response: status, headers and body text, with the body parsed as JSON on demand.</summary>
public sealed class ApiResponse
{
    private readonly Dictionary<string, string> _headers;
    private JsonElement? _json;

    private ApiResponse(HttpStatusCode statusCode, Dictionary<string, string> headers, string body)
    {
        StatusCode = statusCode;
        _headers = headers;
        Body = body;
    }

    /// <summary>Gets the HTTP status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Gets the HTTP status code as a number.</summary>
    public int Status => (int)StatusCode;

    /// <summary>Gets the raw body text.</summary>
    public string Body { get; }

    /// <summary>Gets the body parsed as JSON.</summary>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    public JsonElement Json => _json ??= ParseBody(Body);

    /// <summary>Gets the <c>x-request-id</c> header, or <see langword="null"/>.</summary>
    public string? RequestId => Header(SimulatorHttp.RequestIdHeader);

    /// <summary>Gets the names of all response and content headers, lowercase.</summary>
    public IReadOnlyCollection<string> HeaderNames => _headers.Keys;

    /// <summary>Gets a response or content header (values joined by <c>", "</c>), or <see langword="null"/>.</summary>
    /// <param name="name">The header name, case-insensitive.</param>
    /// <returns>The header value or <see langword="null"/>.</returns>
    public string? Header(string name) => _headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Reads <paramref name="response"/> completely and disposes it.</summary>
    /// <param name="response">The response to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The read response.</returns>
    public static async Task<ApiResponse> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        using (response)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in response.Headers)
            {
                headers[header.Key] = string.Join(", ", header.Value);
            }

            foreach (var header in response.Content.Headers)
            {
                headers[header.Key] = string.Join(", ", header.Value);
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return new ApiResponse(response.StatusCode, headers, body);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Status} {Body}";

    private static JsonElement ParseBody(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}
