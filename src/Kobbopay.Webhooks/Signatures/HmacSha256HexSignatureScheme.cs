using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Kobbopay.Webhooks.Internal;
using Kobbopay.Contracts;

namespace Kobbopay.Webhooks;

/// <summary>
/// The gateway's default scheme: <c>x-signature</c> holds the hex of HMAC-SHA256(secret, raw body).
/// Hex is decoded to bytes (either case is accepted) and compared in constant time. The header may
/// hold several entries separated by commas or spaces, each optionally prefixed <c>sha256=</c>; an
/// unreadable entry is skipped, and any entry matching any active secret accepts.
/// </summary>
/// <remarks>Thread-safe. Verification allocates nothing on the managed heap.</remarks>
public sealed class HmacSha256HexSignatureScheme : IWebhookSignatureScheme
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "hmac-sha256-hex";

    /// <summary>The default signature header.</summary>
    public const string DefaultHeaderName = KobbopayHeaders.Signature;

    private readonly SecretMacs _secrets;
    private readonly string _headerName;

    /// <summary>Initializes a new instance of the <see cref="HmacSha256HexSignatureScheme"/> class.</summary>
    /// <param name="secrets">The active secrets (1 to 16; several while rotating), used as their UTF-8 bytes.</param>
    /// <param name="headerName">The signature header.</param>
    /// <exception cref="ArgumentException">No secret, an empty secret, or more than 16.</exception>
    public HmacSha256HexSignatureScheme(IEnumerable<string> secrets, string headerName = DefaultHeaderName)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentException.ThrowIfNullOrWhiteSpace(headerName);
        string[] list = [.. secrets];
        if (list.Length is 0 or > SecretMacs.MaxSecrets || list.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException($"Between 1 and {SecretMacs.MaxSecrets} non-empty webhook secrets are required; {list.Length} given{(list.Any(string.IsNullOrEmpty) ? ", some empty" : string.Empty)}.", nameof(secrets));
        }

        _secrets = new SecretMacs(list.Select(Encoding.UTF8.GetBytes));
        _headerName = headerName;
    }

    /// <inheritdoc/>
    public string Name => SchemeName;

    /// <summary>Computes the signature the gateway sends for a body: lowercase hex of HMAC-SHA256.</summary>
    /// <param name="body">The raw body.</param>
    /// <param name="secret">The secret.</param>
    /// <returns>64 lowercase hex characters.</returns>
    public static string ComputeSignature(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        Span<byte> mac = stackalloc byte[KeyedHmac.MacSize];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, mac);
        return Hex.EncodeLower(mac);
    }

    /// <inheritdoc/>
    public WebhookVerificationResult Verify<THeaders>(ReadOnlySpan<byte> body, THeaders headers)
        where THeaders : IWebhookHeaders => Verify(new SignedBody(body), headers);

    /// <inheritdoc/>
    public WebhookVerificationResult Verify<THeaders>(in ReadOnlySequence<byte> body, THeaders headers)
        where THeaders : IWebhookHeaders => Verify(new SignedBody(body), headers);

    /// <summary>Describes the scheme without its secrets.</summary>
    /// <returns>The name, header and number of secrets.</returns>
    public override string ToString() => $"{SchemeName} (header {_headerName}, {_secrets.Count} secret(s))";

    private WebhookVerificationResult Verify<THeaders>(scoped in SignedBody body, THeaders headers)
        where THeaders : IWebhookHeaders
    {
        string? header = headers.GetHeader(_headerName);
        if (header is null || header.AsSpan().Trim().IsEmpty)
        {
            return new(WebhookVerificationFailure.HeaderMissing) { Header = _headerName };
        }

        Span<byte> macs = stackalloc byte[SecretMacs.BufferSize];
        return SignatureEntries.Match<HexEntry>(header, _secrets.ComputeAll([], body, macs));
    }

    /// <summary>An entry is the hex of the MAC, either case, optionally prefixed <c>sha256=</c>; entries are separated by commas or spaces.</summary>
    private readonly struct HexEntry : ISignatureEntryFormat
    {
        public static int IndexOfSeparator(ReadOnlySpan<char> text) => text.IndexOfAny(',', ' ');

        public static bool TryReadMac(ReadOnlySpan<char> entry, Span<byte> mac)
        {
            if (entry.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase))
            {
                entry = entry[7..];
            }

            return !entry.IsEmpty && Hex.TryDecode(entry, mac);
        }
    }
}
