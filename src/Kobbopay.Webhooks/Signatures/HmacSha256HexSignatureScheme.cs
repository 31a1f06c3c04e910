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

    private const int MaxEntries = 8;
    private const int MaxSecrets = 16;
    private readonly KeyedHmac[] _secrets;
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
        if (list.Length is 0 or > MaxSecrets || list.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException($"Between 1 and {MaxSecrets} non-empty webhook secrets are required; {list.Length} given{(list.Any(string.IsNullOrEmpty) ? ", some empty" : string.Empty)}.", nameof(secrets));
        }

        _secrets = [.. list.Select(s => new KeyedHmac(Encoding.UTF8.GetBytes(s)))];
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
        where THeaders : IWebhookHeaders
    {
        string? header = headers.GetHeader(_headerName);
        if (header is null || header.AsSpan().Trim().IsEmpty)
        {
            return new(WebhookVerificationFailure.HeaderMissing);
        }

        Span<byte> macs = stackalloc byte[MaxSecrets * KeyedHmac.MacSize];
        for (int i = 0; i < _secrets.Length; i++)
        {
            _secrets[i].Compute(body, macs.Slice(i * KeyedHmac.MacSize, KeyedHmac.MacSize));
        }

        return Check(header, macs[..(_secrets.Length * KeyedHmac.MacSize)]);
    }

    /// <inheritdoc/>
    public WebhookVerificationResult Verify<THeaders>(in ReadOnlySequence<byte> body, THeaders headers)
        where THeaders : IWebhookHeaders
    {
        if (body.IsSingleSegment)
        {
            return Verify(body.FirstSpan, headers);
        }

        string? header = headers.GetHeader(_headerName);
        if (header is null || header.AsSpan().Trim().IsEmpty)
        {
            return new(WebhookVerificationFailure.HeaderMissing);
        }

        Span<byte> macs = stackalloc byte[MaxSecrets * KeyedHmac.MacSize];
        for (int i = 0; i < _secrets.Length; i++)
        {
            _secrets[i].Compute(body, macs.Slice(i * KeyedHmac.MacSize, KeyedHmac.MacSize));
        }

        return Check(header, macs[..(_secrets.Length * KeyedHmac.MacSize)]);
    }

    /// <summary>Describes the scheme without its secrets.</summary>
    /// <returns>The name, header and number of secrets.</returns>
    public override string ToString() => $"{SchemeName} (header {_headerName}, {_secrets.Length} secret(s))";

    private static WebhookVerificationResult Check(string header, ReadOnlySpan<byte> macs)
    {
        Span<byte> candidate = stackalloc byte[KeyedHmac.MacSize];
        ReadOnlySpan<char> rest = header;
        int entries = 0;
        bool matched = false;
        while (!rest.IsEmpty && entries < MaxEntries)
        {
            int end = rest.IndexOfAny(',', ' ');
            ReadOnlySpan<char> entry = (end < 0 ? rest : rest[..end]).Trim();
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (entry.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase))
            {
                entry = entry[7..];
            }

            if (entry.IsEmpty || !Hex.TryDecode(entry, candidate))
            {
                continue; // unreadable entry: skipped, not fatal
            }

            entries++;
            for (int offset = 0; offset < macs.Length; offset += KeyedHmac.MacSize)
            {
                // Every comparison runs, matched or not, so timing does not depend on which secret matched.
                matched |= CryptographicOperations.FixedTimeEquals(candidate, macs.Slice(offset, KeyedHmac.MacSize));
            }
        }

        return entries == 0 ? new(WebhookVerificationFailure.HeaderMalformed)
            : matched ? WebhookVerificationResult.Valid
            : new(WebhookVerificationFailure.NoSecretMatched);
    }
}
