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

        ApiError tooLarge = new(StatusCodes.Status413PayloadTooLarge, "invalid_request", $"The request body is larger than the {cap}-byte limit.");
        if (request.ContentLength > cap)
        {
            return (null, tooLarge);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(cap + 1, 16 * 1024));
        try
        {
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, cap + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await request.Body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, cap + 1) - length), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > cap)
                {
                    return (null, tooLarge);
                }
            }

            byte[] body = buffer.AsSpan(0, length).ToArray();
            RequestState.Of(context).Body = body;
            if (JsonTextCheck.TryFindUnreadableText(body, out string field))
            {
                return (null, ApiError.Invalid(field, $"The text of '{field}' is not valid UTF-8: it has bytes that are not UTF-8, or an escaped surrogate (\\uD800-\\uDFFF) without its pair."));
            }

            return (body, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
