using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Kobbopay.Webhooks;

namespace Kobbopay.Benchmarks;

/// <summary>
/// Webhook signature verification at 256 B, 1 KiB and 16 KiB against bare one-shot HMACSHA256.HashData over the same
/// bytes (the baseline), and against a naive port of the gateway's Express sketch (hex strings, allocating, ordinal
/// string compare). Targets at 1 KiB: at most 0.75x the baseline, 0 B allocated, forged within 5 % of valid.
/// </summary>
[Config(typeof(BenchConfig))]
public class SignatureVerificationBenchmark
{
    private const string HexSecret = "whsec_bench_hex_secret_0123456789";
    private static readonly string StandardSecret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("bench-standard-webhooks-secret-32"));

    private byte[] _body = [];
    private byte[] _hexKey = [];
    private HmacSha256HexSignatureScheme _hex = null!;
    private StandardWebhooksSignatureScheme _standard = null!;
    private Headers _hexValid;
    private Headers _hexForged;
    private Headers _standardValid;
    private Headers _standardForged;
    private string _hexSignature = string.Empty;

    [Params(256, 1024, 16384)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = BenchData.EventBody("evt_bench_sig", BodyBytes);
        _hexKey = Encoding.UTF8.GetBytes(HexSecret);
        _hex = new HmacSha256HexSignatureScheme([HexSecret]);
        _standard = new StandardWebhooksSignatureScheme([StandardSecret], TimeSpan.FromHours(6));

        DateTimeOffset now = DateTimeOffset.UtcNow;
        _hexValid = Headers.From(KobbopayWebhookSigner.Sign(_body, HmacSha256HexSignatureScheme.SchemeName, HexSecret, "evt_bench_sig", now));
        _hexSignature = _hexValid.Signature!;
        _hexForged = _hexValid with { Signature = Forge(_hexValid.Signature!, 0) };
        _standardValid = Headers.From(KobbopayWebhookSigner.Sign(_body, StandardWebhooksSignatureScheme.SchemeName, StandardSecret, "evt_bench_sig", now));
        _standardForged = _standardValid with { StandardSignature = Forge(_standardValid.StandardSignature!, 3) };

        if (!BareHashData() || !NaiveExpressPort() || !HexValid() || HexForged() || !StandardValid() || StandardForged())
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

    [Benchmark]
    public bool HexForged() => _hex.Verify(_body.AsSpan(), _hexForged).IsValid;

    [Benchmark]
    public bool StandardValid() => _standard.Verify(_body.AsSpan(), _standardValid).IsValid;

    [Benchmark]
    public bool StandardForged() => _standard.Verify(_body.AsSpan(), _standardForged).IsValid;

    /// <summary>Same length, wrong bytes: flips one character of the encoded MAC near its end.</summary>
    private static string Forge(string signature, int fromEnd)
    {
        char[] chars = signature.ToCharArray();
        int i = chars.Length - 2 - fromEnd;
        chars[i] = chars[i] == 'a' ? 'b' : 'a';
        return new string(chars);
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
