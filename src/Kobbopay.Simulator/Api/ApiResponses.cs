using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Kobbopay.Contracts;

namespace Kobbopay.Simulator.Internal;

/// <summary>Writes JSON answers and the contract's error body.</summary>
internal static class ApiResponses
{
    public const string JsonContentType = "application/json; charset=utf-8";

    public static Task WriteJsonAsync<T>(HttpContext context, int statusCode, T value, JsonTypeInfo<T> typeInfo) =>
        WriteBytesAsync(context, statusCode, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    public static async Task WriteBytesAsync(HttpContext context, int statusCode, byte[] body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, ApiError error) =>
        WriteErrorAsync(context, error.StatusCode, error.Code, error.Message, error.Param);

    public static Task WriteErrorAsync(HttpContext context, int statusCode, string code, string message, string? param = null)
    {
        ErrorResponseDto body = new(new ErrorDto(code, message, param, RequestIds.Get(context)));
        return WriteJsonAsync(context, statusCode, body, SimulatorJsonContext.Default.ErrorResponseDto);
    }
}

/// <summary>An error answer, as a value: validation returns one instead of throwing.</summary>
internal sealed record ApiError(int StatusCode, string Code, string Message, string? Param = null)
{
    public static ApiError Invalid(string param, string message) => new(StatusCodes.Status400BadRequest, "invalid_request", message, param);
}

/// <summary>The per-request id the simulator gives every request and echoes in <c>x-request-id</c>.</summary>
internal static class RequestIds
{
    public static string Get(HttpContext context)
    {
        RequestState state = RequestState.Of(context);
        if (state.RequestId.Length == 0)
        {
            state.RequestId = Wire.NewId(KobbopayPrefixes.Request);
        }

        return state.RequestId;
    }
}
