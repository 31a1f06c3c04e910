namespace Kobbopay.Webhooks.Tests.TestSupport;

/// <summary>
/// A shipped signature scheme as the tests drive it, picked by its name so one <c>[Theory]</c> covers both: the scheme
/// over some secrets, the headers the gateway sends for a body (made by the SDK's own <see cref="KobbopayWebhookSigner"/>),
/// and the same headers with one bit of the MAC flipped.
/// </summary>
internal sealed class SchemeDriver(
    string name,
    string secret,
    string otherSecret,
    string signatureHeader,
    Func<string[], TimeProvider, IWebhookSignatureScheme> create,
    Func<string, int, string> flipMac)
{
    /// <summary>The event id signed into Standard Webhooks deliveries.</summary>
    public const string EventId = "evt_signed";

    /// <summary>The signing time; a Standard Webhooks scheme's clock must stand near it.</summary>
    public static readonly DateTimeOffset SignedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly SchemeDriver Hex = new(
        HmacSha256HexSignatureScheme.SchemeName,
        "kp_whsec_primary",
        "kp_whsec_other",
        HmacSha256HexSignatureScheme.DefaultHeaderName,
        (secrets, _) => new HmacSha256HexSignatureScheme(secrets),
        Bits.FlipHexMac);

    private static readonly SchemeDriver Standard = new(
        StandardWebhooksSignatureScheme.SchemeName,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "whsec_c2VjcmV0LWtleS1mb3ItdGhlLWtub3duLWFuc3dlcnMh",
        StandardWebhooksSignatureScheme.SignatureHeader,
        (secrets, clock) => new StandardWebhooksSignatureScheme(secrets, timeProvider: clock),
        Bits.FlipStandardWebhooksMac);

    /// <summary>Gets the scheme's name.</summary>
    public string Name { get; } = name;

    /// <summary>Gets a secret in the scheme's format.</summary>
    public string Secret { get; } = secret;

    /// <summary>Gets another secret in the scheme's format.</summary>
    public string OtherSecret { get; } = otherSecret;

    /// <summary>Gets the driver for a scheme by its name.</summary>
    public static SchemeDriver For(string schemeName) => schemeName switch
    {
        HmacSha256HexSignatureScheme.SchemeName => Hex,
        StandardWebhooksSignatureScheme.SchemeName => Standard,
        _ => throw new ArgumentOutOfRangeException(nameof(schemeName), schemeName, "Not a shipped scheme."),
    };

    /// <summary>Builds the scheme over <paramref name="secrets"/>; <paramref name="clock"/> is the Standard Webhooks tolerance's clock.</summary>
    public IWebhookSignatureScheme Create(TimeProvider clock, params string[] secrets) => create(secrets, clock);

    /// <summary>Signs a body the way the gateway does.</summary>
    public WebhookHeaders Sign(ReadOnlySpan<byte> body, string secret) =>
        new(KobbopayWebhookSigner.Sign(body, Name, secret, EventId, SignedAt));

    /// <summary>Signs a body the way the gateway does, then flips one bit of the MAC.</summary>
    public WebhookHeaders SignWithFlippedMacBit(ReadOnlySpan<byte> body, string secret, int bit) =>
        new(KobbopayWebhookSigner.Sign(body, Name, secret, EventId, SignedAt)
            .Select(h => h.Key == signatureHeader ? new KeyValuePair<string, string>(h.Key, flipMac(h.Value, bit)) : h));

    /// <inheritdoc/>
    public override string ToString() => Name;
}
