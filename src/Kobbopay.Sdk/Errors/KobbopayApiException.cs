using System.Net;

namespace Kobbopay.Sdk;

/// <summary>The gateway answered with an error (after any retries the pipeline allowed).</summary>
public class KobbopayApiException : KobbopayException
{
    /// <summary>Initializes a new instance of the <see cref="KobbopayApiException"/> class.</summary>
    public KobbopayApiException()
        : this(0, "unknown", "The gateway answered with an error.", null, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayApiException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public KobbopayApiException(string message)
        : this(0, "unknown", message, null, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayApiException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public KobbopayApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
        ErrorCode = "unknown";
        GatewayMessage = message;
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayApiException"/> class.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="errorCode">The contract's error code, for example <c>unsupported_rail</c>.</param>
    /// <param name="gatewayMessage">The gateway's message.</param>
    /// <param name="param">The request field at fault, if the gateway named one.</param>
    /// <param name="requestId">The gateway's request id (<c>req_…</c>), for support.</param>
    public KobbopayApiException(int statusCode, string errorCode, string gatewayMessage, string? param, string? requestId)
        : base(Describe(statusCode, errorCode, gatewayMessage, param, requestId))
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        GatewayMessage = gatewayMessage;
        Param = param;
        RequestId = requestId;
    }

    /// <summary>Gets the HTTP status the gateway answered.</summary>
    public int StatusCode { get; }

    /// <summary>Gets the HTTP status as <see cref="HttpStatusCode"/>.</summary>
    public HttpStatusCode Status => (HttpStatusCode)StatusCode;

    /// <summary>Gets the contract's error code, for example <c>payment_not_found</c>; <c>unknown</c> when the answer had no error body.</summary>
    public string ErrorCode { get; }

    /// <summary>Gets the gateway's own message.</summary>
    public string GatewayMessage { get; }

    /// <summary>Gets the request field the gateway named, or <see langword="null"/>.</summary>
    public string? Param { get; }

    /// <summary>Gets the gateway's request id (<c>req_…</c>), or <see langword="null"/>. Quote it to support.</summary>
    public string? RequestId { get; }

    private static string Describe(int statusCode, string errorCode, string message, string? param, string? requestId) =>
        $"Kobbopay answered {statusCode} {errorCode}: {message}"
        + (param is null ? string.Empty : $" (param: {param})")
        + (requestId is null ? string.Empty : $" [request {requestId}]");
}
