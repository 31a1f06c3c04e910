using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Kobbopay.Simulator.Internal;

/// <summary>Reads a JSON request body once, with a size cap, checking its content type first.</summary>
internal static class RequestBodyReader
{
    public static bool IsJson(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? type))
        {
            return false;
        }

        bool json = type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true;
        bool utf8 = !type.Charset.HasValue || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
        return json && utf8;
    }

    /// <summary>Reads the body, or answers the error that stops it (415, 413).</summary>
    public static async Task<(byte[]? Body, ApiError? Error)> ReadJsonAsync(HttpContext context, int cap)
    {
        HttpRequest request = context.Request;
        if (!IsJson(request))
        {
            string was = string.IsNullOrEmpty(request.ContentType) ? "missing" : $"'{request.ContentType}'";
            return (null, new ApiError(StatusCodes.Status415UnsupportedMediaType, "invalid_request", $"Content-Type must be application/json (UTF-8); it was {was}.", "Content-Type"));
        }

        // The simulator's edge has already read the body within the cap; read it here only where it did not.
        RequestState state = RequestState.Of(context);
        byte[]? body = state.Body ?? await ReadCappedAsync(request, cap, context.RequestAborted);
        if (body is null)
        {
            return (null, new ApiError(StatusCodes.Status413PayloadTooLarge, "invalid_request", $"The request body is larger than the {cap}-byte limit."));
        }

        state.Body = body;
        if (JsonTextCheck.TryFindUnreadableText(body, out string field))
        {
            return (null, ApiError.Invalid(field, $"The text of '{field}' is not valid UTF-8: it has bytes that are not UTF-8, or an escaped surrogate (\\uD800-\\uDFFF) without its pair."));
        }

        return (body, null);
    }

    /// <summary>Reads a request body whole, or returns <see langword="null"/> as soon as it is longer than <paramref name="cap"/> bytes.</summary>
    public static async Task<byte[]?> ReadCappedAsync(HttpRequest request, int cap, CancellationToken cancellationToken)
    {
        if (request.ContentLength > cap)
        {
            return null;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(cap + 1L, request.ContentLength is > 0 and var length ? length : 16 * 1024));
        try
        {
            int read = 0;
            while (true)
            {
                if (read == buffer.Length)
                {
                    if (read > cap)
                    {
                        return null;
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, cap + 1L));
                    buffer.AsSpan(0, read).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int n = await request.Body.ReadAsync(buffer.AsMemory(read, buffer.Length - read), cancellationToken);
                if (n == 0)
                {
                    return buffer.AsSpan(0, read).ToArray();
                }

                read += n;
                if (read > cap)
                {
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
