using System.Net.Http.Headers;
using System.Text;

namespace Kobbopay.TestUtilities;

/// <summary>Sends JSON requests and reads the whole answer into an <see cref="ApiResponse"/>.</summary>
public static class HttpClientApiExtensions
{
    /// <summary>The idempotency header of <c>POST /v1/payments</c>.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Sends <c>GET</c> to <paramref name="path"/>.</summary>
    /// <param name="client">The client.</param>
    /// <param name="path">A path relative to the base address, e.g. <c>v1/payments</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The read response.</returns>
    public static Task<ApiResponse> GetApiAsync(this HttpClient client, string path, CancellationToken cancellationToken)
        => client.SendApiAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    /// <summary>Sends <c>DELETE</c> to <paramref name="path"/>.</summary>
    /// <param name="client">The client.</param>
    /// <param name="path">A path relative to the base address.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The read response.</returns>
    public static Task<ApiResponse> DeleteApiAsync(this HttpClient client, string path, CancellationToken cancellationToken)
        => client.SendApiAsync(new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);

    /// <summary>Sends <c>POST</c> with a JSON body (or none) and an optional idempotency key.</summary>
    /// <param name="client">The client.</param>
    /// <param name="path">A path relative to the base address.</param>
    /// <param name="json">The raw body text sent as <c>application/json</c>, or <see langword="null"/> for no body.</param>
    /// <param name="idempotencyKey">The <c>Idempotency-Key</c> header value, or <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The read response.</returns>
    public static Task<ApiResponse> PostJsonAsync(
        this HttpClient client, string path, string? json, string? idempotencyKey, CancellationToken cancellationToken)
        => client.SendApiAsync(CreateJsonRequest(HttpMethod.Post, path, json, idempotencyKey), cancellationToken);

    /// <summary>Sends <c>POST</c> with a JSON body (or none).</summary>
    /// <param name="client">The client.</param>
    /// <param name="path">A path relative to the base address.</param>
    /// <param name="json">The raw body text, or <see langword="null"/> for no body.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The read response.</returns>
    public static Task<ApiResponse> PostJsonAsync(this HttpClient client, string path, string? json, CancellationToken cancellationToken)
        => client.PostJsonAsync(path, json, idempotencyKey: null, cancellationToken);

    /// <summary>Sends <c>PUT</c> with a JSON body.</summary>
    /// <param name="client">The client.</param>
    /// <param name="path">A path relative to the base address.</param>
    /// <param name="json">The raw body text.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The read response.</returns>
    public static Task<ApiResponse> PutJsonAsync(this HttpClient client, string path, string json, CancellationToken cancellationToken)
        => client.SendApiAsync(CreateJsonRequest(HttpMethod.Put, path, json, idempotencyKey: null), cancellationToken);

    /// <summary>Builds a request with a raw JSON body and an optional idempotency key, without sending it.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">A path relative to the base address.</param>
    /// <param name="json">The raw body text, or <see langword="null"/> for no body.</param>
    /// <param name="idempotencyKey">The <c>Idempotency-Key</c> header value, or <see langword="null"/> for none.</param>
    /// <param name="mediaType">The content type of the body.</param>
    /// <returns>The request; the caller sends and disposes it.</returns>
    public static HttpRequestMessage CreateJsonRequest(
        HttpMethod method, string path, string? json, string? idempotencyKey, string mediaType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, idempotencyKey);
        }

        return request;
    }

    /// <summary>Sends <paramref name="request"/>, reads the whole answer and disposes the request.</summary>
    /// <param name="client">The client.</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The read response.</returns>
    public static async Task<ApiResponse> SendApiAsync(this HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        using (request)
        {
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            return await ApiResponse.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }
}
