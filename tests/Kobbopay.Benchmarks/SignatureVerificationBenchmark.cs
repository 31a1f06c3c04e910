using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Kobbopay.Webhooks;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using Stripe;

namespace Kobbopay.Benchmarks;

/// <summary>
/// Webhook signature verification at 256 B, 1 KiB and 16 KiB against bare one-shot HMACSHA256.HashData over the same
/// bytes (the baseline), a naive port of the gateway's Express sketch (hex strings, allocating, ordinal string compare),
/// and the peers a merchant would pick instead, in the same run: Stripe.net's <c>EventUtility.ValidateSignature</c>
/// (Stripe's own <c>t=…,v1=hex</c> scheme over <c>{t}.{payload}</c>, a string API: once from a string, once from the
/// request's bytes decoded to a string first, the decode counted) beside our hex scheme, and the StandardWebhooks
/// package's <c>StandardWebhook.Verify</c> (also a string API, reading an <see cref="IHeaderDictionary"/>) beside our
/// Standard Webhooks scheme. Targets at 1 KiB: ours at most 0.75x the baseline, at most 0.5x Stripe.net, at most 0.85x
/// the StandardWebhooks package, 0 B allocated. Valid against forged timing is <see cref="SignatureInterleavedTiming"/>'s.
/// </summary>
[Config(typeof(BenchConfig))]
public class SignatureVerificationBenchmark
{
    private const string HexSecret = "whsec_bench_hex_secret_0123456789";
    private const string StripeSecret = "whsec_bench_stripe_secret_0123456789";
    private static readonly string StandardSecret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("bench-standard-webhooks-secret-32"));

    private byte[] _body = [];
    private string _bodyText = string.Empty;
    private byte[] _hexKey = [];
    private HmacSha256HexSignatureScheme _hex = null!;
    private StandardWebhooksSignatureScheme _standard = null!;
    private StandardWebhook _standardPackage = null!;
    private Headers _hexValid;
    private Headers _hexForgedFirst;
    private Headers _hexForgedLast;
    private Headers _standardValid;
    private Headers _standardForgedFirst;
    private Headers _standardForgedLast;
    private HeaderDictionary _standardRequestHeaders = null!;
    private string _hexSignature = string.Empty;
    private string _stripeHeader = string.Empty;

    [Params(256, 1024, 16384)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = BenchData.EventBody("evt_bench_sig", BodyBytes);
        _bodyText = Encoding.UTF8.GetString(_body);
        _hexKey = Encoding.UTF8.GetBytes(HexSecret);
        _hex = new HmacSha256HexSignatureScheme([HexSecret]);
        _standard = new StandardWebhooksSignatureScheme([StandardSecret], TimeSpan.FromHours(6));
        _standardPackage = new StandardWebhook(StandardSecret);

        DateTimeOffset now = DateTimeOffset.UtcNow;
        _hexValid = Headers.From(KobbopayWebhookSigner.Sign(_body, HmacSha256HexSignatureScheme.SchemeName, HexSecret, "evt_bench_sig", now));
        _hexSignature = _hexValid.Signature!;
        _hexForgedFirst = _hexValid with { Signature = ForgedSignature.Hex(_hexSignature, ForgedSignature.Byte.First) };
        _hexForgedLast = _hexValid with { Signature = ForgedSignature.Hex(_hexSignature, ForgedSignature.Byte.Last) };
        _standardValid = Headers.From(KobbopayWebhookSigner.Sign(_body, StandardWebhooksSignatureScheme.SchemeName, StandardSecret, "evt_bench_sig", now));
        _standardForgedFirst = _standardValid with { StandardSignature = ForgedSignature.StandardWebhooks(_standardValid.StandardSignature!, ForgedSignature.Byte.First) };
        _standardForgedLast = _standardValid with { StandardSignature = ForgedSignature.StandardWebhooks(_standardValid.StandardSignature!, ForgedSignature.Byte.Last) };
        _standardRequestHeaders = new HeaderDictionary
        {
            [StandardWebhooksSignatureScheme.IdHeader] = _standardValid.Id,
            [StandardWebhooksSignatureScheme.TimestampHeader] = _standardValid.Timestamp,
            [StandardWebhooksSignatureScheme.SignatureHeader] = _standardValid.StandardSignature,
        };

        // Stripe.net's own test helper signs {t}.{payload} with the current time: t=...,v1=hex.
        _stripeHeader = EventUtility.GenerateSignatureHeader(_bodyText, StripeSecret, now.ToUnixTimeSeconds());

        if (!BareHashData() || !NaiveExpressPort() || !HexValid() || HexForged() || !StandardValid() || StandardForged()
            || !StandardValidFromHeaderDictionary() || !StripeFromString() || !StripeFromBytes() || !StandardWebhooksPackageFromString()
            || !StandardWebhooksPackageFromBytes() || TimingVariants().Any(v => v.Verify() == (v.Kind == SignatureTimingKind.Forged)))
        {
            throw new InvalidOperationException("Benchmark setup is wrong: a valid signature was refused or a forged one accepted.");
        }
    }

    /// <summary>The floor: one-shot HMAC over the body and a constant-time compare with the expected MAC bytes.</summary>
    [Benchmark(Baseline = true)]
    public bool BareHashData()
    {
        Span<byte> mac = stackalloc byte[32];
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(_hexKey, _body, mac);
        Convert.FromHexString(_hexSignature, expected, out _, out _);
        return CryptographicOperations.FixedTimeEquals(mac, expected);
    }

    /// <summary>
    /// The gateway's Express sketch ported as written: <c>crypto.createHmac('sha256', secret).update(raw).digest('hex') === req.headers['x-signature']</c>.
    /// </summary>
    [Benchmark]
    public bool NaiveExpressPort()
    {
        byte[] key = Encoding.UTF8.GetBytes(HexSecret);
        byte[] mac = HMACSHA256.HashData(key, _body);
        string computed = Convert.ToHexString(mac).ToLowerInvariant();
        return string.Equals(computed, _hexSignature, StringComparison.Ordinal);
    }

    [Benchmark]
    public bool HexValid() => _hex.Verify(_body.AsSpan(), _hexValid).IsValid;

    /// <summary>A wrong MAC of the right length, its last byte changed: refused, and allocating nothing either.</summary>
    [Benchmark]
    public bool HexForged() => _hex.Verify(_body.AsSpan(), _hexForgedLast).IsValid;

    [Benchmark]
    public bool StandardValid() => _standard.Verify(_body.AsSpan(), _standardValid).IsValid;

    [Benchmark]
    public bool StandardForged() => _standard.Verify(_body.AsSpan(), _standardForgedLast).IsValid;

    /// <summary>Our Standard Webhooks scheme reading the same <see cref="IHeaderDictionary"/> the StandardWebhooks package reads.</summary>
    [Benchmark]
    public bool StandardValidFromHeaderDictionary() =>
        _standard.Verify(_body.AsSpan(), new HeaderDictionaryWebhookHeaders(_standardRequestHeaders)).IsValid;

    /// <summary>Stripe.net as its docs show it: the payload as a string, the <c>Stripe-Signature</c> header, the secret; throws when invalid.</summary>
    [Benchmark]
    public bool StripeFromString()
    {
        EventUtility.ValidateSignature(_bodyText, _stripeHeader, StripeSecret);
        return true;
    }

    /// <summary>Stripe.net from the request's bytes: a Stripe user must decode them to a string first (counted here).</summary>
    [Benchmark]
    public bool StripeFromBytes()
    {
        EventUtility.ValidateSignature(Encoding.UTF8.GetString(_body), _stripeHeader, StripeSecret);
        return true;
    }

    /// <summary>The StandardWebhooks package as its README shows it: the payload as a string and the request headers; throws when invalid.</summary>
    [Benchmark]
    public bool StandardWebhooksPackageFromString()
    {
        _standardPackage.Verify(_bodyText, _standardRequestHeaders);
        return true;
    }

    /// <summary>The StandardWebhooks package from the request's bytes, decoded to a string first (counted here).</summary>
    [Benchmark]
    public bool StandardWebhooksPackageFromBytes()
    {
        _standardPackage.Verify(Encoding.UTF8.GetString(_body), _standardRequestHeaders);
        return true;
    }

    /// <summary>
    /// The calls <see cref="SignatureInterleavedTiming"/> times against each other, per scheme: ours valid, valid again
    /// (the measurement's own noise), forged in the MAC's first and in its last byte, the peers (valid deliveries) with
    /// the variant of ours each is compared with, and <see cref="BareHashData"/> (the target "ours at most 0.75x bare"
    /// is judged on it, in the same loop; each scheme times it as a variant of its own).
    /// </summary>
    internal SignatureTimingVariant[] TimingVariants()
    {
        const string Hex = HmacSha256HexSignatureScheme.SchemeName;
        const string Standard = StandardWebhooksSignatureScheme.SchemeName;
        const string FromDictionary = "valid, from an IHeaderDictionary";
        return
        [
            new(Hex, "valid", SignatureTimingKind.Valid, null, HexValid),
            new(Hex, "valid again", SignatureTimingKind.Valid, null, HexValid),
            new(Hex, "forged first byte", SignatureTimingKind.Forged, null, () => _hex.Verify(_body.AsSpan(), _hexForgedFirst).IsValid),
            new(Hex, "forged last byte", SignatureTimingKind.Forged, null, HexForged),
            new(Hex, "Stripe.net from a string", SignatureTimingKind.Peer, "valid", StripeFromString),
            new(Hex, "Stripe.net from bytes", SignatureTimingKind.Peer, "valid", StripeFromBytes),
            new(Hex, "bare HashData", SignatureTimingKind.Baseline, "valid", BareHashData),
            new(Standard, "valid", SignatureTimingKind.Valid, null, StandardValid),
            new(Standard, "valid again", SignatureTimingKind.Valid, null, StandardValid),
            new(Standard, "forged first byte", SignatureTimingKind.Forged, null, () => _standard.Verify(_body.AsSpan(), _standardForgedFirst).IsValid),
            new(Standard, "forged last byte", SignatureTimingKind.Forged, null, StandardForged),
            new(Standard, FromDictionary, SignatureTimingKind.Valid, null, StandardValidFromHeaderDictionary),
            new(Standard, "StandardWebhooks from a string", SignatureTimingKind.Peer, FromDictionary, StandardWebhooksPackageFromString),
            new(Standard, "StandardWebhooks from bytes", SignatureTimingKind.Peer, FromDictionary, StandardWebhooksPackageFromBytes),
            new(Standard, "bare HashData", SignatureTimingKind.Baseline, "valid", BareHashData),
        ];
    }

    /// <summary>A small header struct: the scheme's generic Verify takes it without boxing or a dictionary.</summary>
    private readonly record struct Headers(string? Signature, string? Id, string? Timestamp, string? StandardSignature) : IWebhookHeaders
    {
        public static Headers From(IReadOnlyList<KeyValuePair<string, string>> pairs)
        {
            Dictionary<string, string> map = new(pairs, StringComparer.OrdinalIgnoreCase);
            return new(
                map.GetValueOrDefault(HmacSha256HexSignatureScheme.DefaultHeaderName),
                map.GetValueOrDefault(StandardWebhooksSignatureScheme.IdHeader),
                map.GetValueOrDefault(StandardWebhooksSignatureScheme.TimestampHeader),
                map.GetValueOrDefault(StandardWebhooksSignatureScheme.SignatureHeader));
        }

        public string? GetHeader(string name) => name switch
        {
            HmacSha256HexSignatureScheme.DefaultHeaderName => Signature,
            StandardWebhooksSignatureScheme.IdHeader => Id,
            StandardWebhooksSignatureScheme.TimestampHeader => Timestamp,
            StandardWebhooksSignatureScheme.SignatureHeader => StandardSignature,
            _ => null,
        };
    }
}
