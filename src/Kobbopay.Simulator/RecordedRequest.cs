namespace Kobbopay.Simulator;

/// <summary>One request the simulator received, as recorded for test assertions. Never holds the API key.</summary>
/// <param name="Sequence">The order in which the simulator received it, from 1.</param>
/// <param name="ReceivedAt">When it arrived, on the simulator's clock.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, without the query string.</param>
/// <param name="QueryString">The query string, with its leading <c>?</c>, or empty.</param>
/// <param name="Environment">The environment the API key resolved to, or <see langword="null"/>.</param>
/// <param name="IdempotencyKey">The <c>Idempotency-Key</c> header, or <see langword="null"/>.</param>
/// <param name="Body">The request body as UTF-8 text (the first 4 KiB), or <see langword="null"/> when none was read.</param>
/// <param name="StatusCode">The status answered, or 0 when the connection was dropped.</param>
/// <param name="Fault">The injected fault (<c>internal_error</c>, <c>unavailable</c>, <c>rate_limited</c>, <c>drop_connection</c>, <c>response_loss</c>), or <see langword="null"/>.</param>
/// <param name="RequestId">The <c>x-request-id</c> the simulator gave the request.</param>
public sealed record RecordedRequest(
    long Sequence,
    DateTimeOffset ReceivedAt,
    string Method,
    string Path,
    string QueryString,
    string? Environment,
    string? IdempotencyKey,
    string? Body,
    int StatusCode,
    string? Fault,
    string RequestId);
