using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kobbopay.Webhooks.Internal;
using Kobbopay.Contracts;

namespace Kobbopay.Webhooks;

/// <summary>
/// The Standard Webhooks scheme: headers <c>webhook-id</c>, <c>webhook-timestamp</c> (Unix seconds)
/// and <c>webhook-signature</c> (space-separated <c>v1,&lt;base64&gt;</c> entries) over the content
/// <c>{id}.{timestamp}.{body}</c>, with secrets <c>whsec_&lt;base64&gt;</c>. A timestamp further
/// than the tolerance from now, either way, is rejected.
/// </summary>
/// <remarks>Thread-safe. Verification allocates nothing on the managed heap.</remarks>
public sealed class StandardWebhooksSignatureScheme : IWebhookSignatureScheme
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "standard-webhooks";

    /// <summary>The message id header.</summary>
    public const string IdHeader = KobbopayHeaders.WebhookId;

    /// <summary>The timestamp header.</summary>
    public const string TimestampHeader = KobbopayHeaders.WebhookTimestamp;

    /// <summary>The signature header.</summary>
    public const string SignatureHeader = KobbopayHeaders.WebhookSignature;

    private const int MaxIdLength = 256;
    private readonly SecretMacs _secrets;
    private readonly long _toleranceSeconds;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="StandardWebhooksSignatureScheme"/> class.</summary>
    /// <param name="secrets">The active secrets (1 to 16), each <c>whsec_</c> followed by base64 (the prefix may be left out).</param>
    /// <param name="tolerance">How far the signed timestamp may be from now, either way; <see langword="null"/> for 5 minutes.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">No secret, more than 16, a secret that is not base64, or a negative tolerance. The message never holds a secret.</exception>
    public StandardWebhooksSignatureScheme(IEnumerable<string> secrets, TimeSpan? tolerance = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        string[] list = [.. secrets];
        if (list.Length is 0 or > SecretMacs.MaxSecrets)
        {
            throw new ArgumentException($"Between 1 and {SecretMacs.MaxSecrets} webhook secrets are required; {list.Length} given.", nameof(secrets));
        }

        _secrets = new SecretMacs(list.Select(DecodeSecret));

        TimeSpan t = tolerance ?? TimeSpan.FromMinutes(5);
        if (t < TimeSpan.Zero)
        {
            throw new ArgumentException("The timestamp tolerance must not be negative.", nameof(tolerance));
        }

        _toleranceSeconds = (long)t.TotalSeconds;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public string Name => SchemeName;

    /// <summary>Computes the <c>webhook-signature</c> entry the gateway sends.</summary>
    /// <param name="body">The raw body.</param>
    /// <param name="secret">The secret (<c>whsec_…</c>).</param>
    /// <param name="messageId">The <c>webhook-id</c>.</param>
    /// <param name="timestampSeconds">The <c>webhook-timestamp</c>, in Unix seconds.</param>
    /// <returns><c>v1,</c> followed by the base64 MAC.</returns>
    public static string ComputeSignature(ReadOnlySpan<byte> body, string secret, string messageId, long timestampSeconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        byte[] key = DecodeSecret(secret, 0);
        byte[] prefix = Encoding.UTF8.GetBytes($"{messageId}.{timestampSeconds.ToString(CultureInfo.InvariantCulture)}.");
        using IncrementalHash hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return "v1," + Convert.ToBase64String(hmac.GetHashAndReset());
    }

    /// <inheritdoc/>
    public WebhookVerificationResult Verify<THeaders>(ReadOnlySpan<byte> body, THeaders headers)
        where THeaders : IWebhookHeaders => Verify(new SignedBody(body), headers);

    /// <inheritdoc/>
    public WebhookVerificationResult Verify<THeaders>(in ReadOnlySequence<byte> body, THeaders headers)
        where THeaders : IWebhookHeaders => Verify(new SignedBody(body), headers);

    /// <summary>Describes the scheme without its secrets.</summary>
    /// <returns>The name, tolerance and number of secrets.</returns>
    public override string ToString() => $"{SchemeName} (tolerance {_toleranceSeconds} s, {_secrets.Count} secret(s))";

    private WebhookVerificationResult Verify<THeaders>(scoped in SignedBody body, THeaders headers)
        where THeaders : IWebhookHeaders
    {
        Span<byte> prefix = stackalloc byte[(MaxIdLength * 3) + 32];
        WebhookVerificationResult pre = Prepare(headers, prefix, out int prefixLength, out string? signature);
        if (!pre.IsValid)
        {
            return pre;
        }

        Span<byte> macs = stackalloc byte[SecretMacs.BufferSize];
        return SignatureEntries.Match<V1Entry>(signature!, _secrets.ComputeAll(prefix[..prefixLength], body, macs));
    }

    private static byte[] DecodeSecret(string secret, int index)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        string text = secret.StartsWith(KobbopayPrefixes.StandardWebhooksSecret, StringComparison.Ordinal) ? secret[KobbopayPrefixes.StandardWebhooksSecret.Length..] : secret;
        try
        {
            byte[] key = Convert.FromBase64String(text);
            return key.Length > 0 ? key : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new ArgumentException($"Webhook secret {index} is not whsec_ followed by base64.", nameof(secret));
        }
    }

    private WebhookVerificationResult Prepare<THeaders>(THeaders headers, Span<byte> prefix, out int prefixLength, out string? signature)
        where THeaders : IWebhookHeaders
    {
        prefixLength = 0;
        string? id = headers.GetHeader(IdHeader);
        string? timestamp = headers.GetHeader(TimestampHeader);
        signature = headers.GetHeader(SignatureHeader);
        if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(timestamp) || string.IsNullOrWhiteSpace(signature))
        {
            string missing = string.IsNullOrWhiteSpace(id) ? IdHeader : string.IsNullOrWhiteSpace(timestamp) ? TimestampHeader : SignatureHeader;
            return new(WebhookVerificationFailure.HeaderMissing) { Header = missing };
        }

        if (id.Length > MaxIdLength || timestamp.Length > 12
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            return new(WebhookVerificationFailure.HeaderMalformed);
        }

        long now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - seconds) > _toleranceSeconds)
        {
            return new(WebhookVerificationFailure.TimestampOutOfTolerance);
        }

        int written = Encoding.UTF8.GetBytes(id, prefix);
        prefix[written++] = (byte)'.';
        written += Encoding.UTF8.GetBytes(timestamp, prefix[written..]);
        prefix[written++] = (byte)'.';
        prefixLength = written;
        return WebhookVerificationResult.Valid;
    }

    /// <summary>An entry is <c>v1,</c> followed by the base64 MAC; entries are separated by spaces, and other versions are skipped.</summary>
    private readonly struct V1Entry : ISignatureEntryFormat
    {
        public static int IndexOfSeparator(ReadOnlySpan<char> text) => text.IndexOf(' ');

        public static bool TryReadMac(ReadOnlySpan<char> entry, Span<byte> mac)
        {
            Span<byte> decoded = stackalloc byte[48];
            if (!entry.StartsWith("v1,", StringComparison.Ordinal)
                || !Convert.TryFromBase64Chars(entry[3..], decoded, out int length) || length != KeyedHmac.MacSize)
            {
                return false;
            }

            decoded[..KeyedHmac.MacSize].CopyTo(mac);
            return true;
        }
    }
}
