namespace Kobbopay.Webhooks;

/// <summary>Why a delivery failed verification: for metrics and logs only; the HTTP answer never says.</summary>
public enum WebhookVerificationFailure
{
    /// <summary>Verification succeeded.</summary>
    None,

    /// <summary>A header the scheme needs is absent or empty.</summary>
    HeaderMissing,

    /// <summary>The signature header holds no entry the scheme can read (or another header it needs is unreadable).</summary>
    HeaderMalformed,

    /// <summary>The header is well formed but no entry matches any active secret.</summary>
    NoSecretMatched,

    /// <summary>The signed timestamp is older or newer than the tolerance allows.</summary>
    TimestampOutOfTolerance,
}

/// <summary>The result of verifying a delivery's signature.</summary>
/// <param name="Failure">Why it failed, or <see cref="WebhookVerificationFailure.None"/>.</param>
public readonly record struct WebhookVerificationResult(WebhookVerificationFailure Failure)
{
    /// <summary>Gets the result of a successful verification.</summary>
    public static WebhookVerificationResult Valid => default;

    /// <summary>Gets a value indicating whether the signature is valid.</summary>
    public bool IsValid => Failure == WebhookVerificationFailure.None;

    /// <summary>Gets the name of the header the failure is about: for <see cref="WebhookVerificationFailure.HeaderMissing"/>, the one that is absent or empty.</summary>
    /// <value>The header name (never its value), or <see langword="null"/> when the scheme names none.</value>
    public string? Header { get; init; }
}

/// <summary>
/// A way of signing webhook deliveries. The two the gateway uses ship with the SDK
/// (<see cref="HmacSha256HexSignatureScheme"/>, <see cref="StandardWebhooksSignatureScheme"/>);
/// implement this for a deployment's own.
/// </summary>
/// <remarks>Implementations must compare MACs in constant time and must not parse the body: verification comes first.</remarks>
public interface IWebhookSignatureScheme
{
    /// <summary>Gets the scheme's name, for example <c>hmac-sha256-hex</c>.</summary>
    string Name { get; }

    /// <summary>Verifies a delivery held in one buffer.</summary>
    /// <typeparam name="THeaders">The header source (a struct avoids boxing).</typeparam>
    /// <param name="body">The raw request body, byte for byte.</param>
    /// <param name="headers">The request headers.</param>
    /// <returns>Whether it is valid and, if not, why.</returns>
    WebhookVerificationResult Verify<THeaders>(ReadOnlySpan<byte> body, THeaders headers)
        where THeaders : IWebhookHeaders;

    /// <summary>Verifies a delivery held in several buffers (as a request pipe gives it).</summary>
    /// <typeparam name="THeaders">The header source (a struct avoids boxing).</typeparam>
    /// <param name="body">The raw request body, byte for byte.</param>
    /// <param name="headers">The request headers.</param>
    /// <returns>Whether it is valid and, if not, why.</returns>
    WebhookVerificationResult Verify<THeaders>(in System.Buffers.ReadOnlySequence<byte> body, THeaders headers)
        where THeaders : IWebhookHeaders;
}
