using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Kobbopay.Benchmarks;

/// <summary>What the stubs and receivers on a <c>LoopbackHost</c> do with a request body they ignore.</summary>
internal static class RequestBody
{
    /// <summary>Reads the body to its end through a pooled buffer, as a receiver that only acknowledges does.</summary>
    public static async Task DrainAsync(HttpRequest request)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (await request.Body.ReadAsync(buffer) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
