namespace Kobbopay.Sdk;

/// <summary>The error inside a <see cref="KobbopayErrorResponse"/>.</summary>
public sealed class KobbopayError
{
    /// <summary>Gets the contract's error code, for example <c>payment_not_found</c>; unknown codes are kept as they are.</summary>
    public string? Code { get; init; }

    /// <summary>Gets the gateway's message, for people.</summary>
    public string? Message { get; init; }

    /// <summary>Gets the request field at fault, or <see langword="null"/>.</summary>
    public string? Param { get; init; }

    /// <summary>Gets the request id (<c>req_…</c>), for support.</summary>
    public string? RequestId { get; init; }
}
