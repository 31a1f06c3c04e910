using System.Text;
using Microsoft.AspNetCore.Http;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>An answer of the webhook pipeline: a status code and its tiny fixed JSON body (nothing from the request is echoed).</summary>
internal sealed class WebhookAnswer
{
    public static readonly WebhookAnswer
        Processed = new(StatusCodes.Status200OK, "processed"), Duplicate = new(StatusCodes.Status200OK, "duplicate"), Queued = new(StatusCodes.Status200OK, "queued"),
        Parked = new(StatusCodes.Status200OK, "parked"), InProgress = new(StatusCodes.Status409Conflict, "in_progress"), Malformed = new(StatusCodes.Status400BadRequest, "malformed"),
        Unauthorized = new(StatusCodes.Status401Unauthorized, "unauthorized"), Forbidden = new(StatusCodes.Status403Forbidden, "forbidden"), TooLarge = new(StatusCodes.Status413PayloadTooLarge, "too_large"),
        UnsupportedMediaType = new(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type"), Failed = new(StatusCodes.Status500InternalServerError, "failed"), Unavailable = new(StatusCodes.Status503ServiceUnavailable, "unavailable");

    private WebhookAnswer(int status, string name)
    {
        Status = status;
        Body = Encoding.UTF8.GetBytes("{\"status\":\"" + name + "\"}");
    }

    /// <summary>Gets the status code.</summary>
    public int Status { get; }

    /// <summary>Gets the body, <c>{"status":"…"}</c>.</summary>
    public byte[] Body { get; }
}
