using System.Buffers.Text;
using Kobbopay.Webhooks;
using Kobbopay.Contracts;

namespace Kobbopay.AspNetCore;

/// <summary>
/// Settings of the Kobbopay webhook endpoint. Bound from configuration (section <c>Kobbopay:Webhooks</c> by
/// convention), read once when the endpoint first runs and validated when the application starts; every failure
/// names the setting and none shows a secret.
/// </summary>
public sealed class KobbopayWebhookOptions
{
    /// <summary>The largest <see cref="MaxBodyBytes"/> accepted: 16 MiB. A webhook body is a few kilobytes.</summary>
    public const long MaxBodyBytesLimit = 16 * 1024 * 1024;

    /// <summary>Gets or sets the signature scheme the gateway signs with: <c>hmac-sha256-hex</c> or <c>standard-webhooks</c>, as your environment's integration materials say.</summary>
    /// <value>Defaults to <c>hmac-sha256-hex</c>.</value>
    public string Scheme { get; set; } = HmacSha256HexSignatureScheme.SchemeName;

    /// <summary>
    /// Gets the signing secrets. A delivery signed with any one of them is accepted: list the old and the new secret
    /// while the gateway rotates, then remove the old one. For <c>standard-webhooks</c> each is <c>whsec_</c> followed
    /// by base64. The secrets never appear in logs, validation messages or <see cref="ToString"/>.
    /// </summary>
    /// <value>No default: at least one is required. An endpoint without a secret fails at start rather than accept anything.</value>
    public IList<string> Secrets { get; } = [];

    /// <summary>Gets or sets the header that carries the signature for <c>hmac-sha256-hex</c>. <c>standard-webhooks</c> always uses <c>webhook-signature</c>.</summary>
    /// <value>Defaults to <c>x-signature</c>.</value>
    public string SignatureHeaderName { get; set; } = HmacSha256HexSignatureScheme.DefaultHeaderName;

    /// <summary>Gets or sets how far the <c>webhook-timestamp</c> of a <c>standard-webhooks</c> delivery may be from now, either way, before it is refused as a replay.</summary>
    /// <value>Defaults to 5 minutes.</value>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the largest request body accepted, in bytes; a larger one is answered 413 without being read further.</summary>
    /// <value>Defaults to 262,144 (256 KiB); at most <see cref="MaxBodyBytesLimit"/>.</value>
    public long MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Gets or sets how long a delivery holds an event while its handlers run. Another delivery of the event meanwhile
    /// is answered 409 (the gateway retries it); when the lease runs out (say, the process died) the next delivery
    /// takes the event over. Make it longer than your handlers ever take.
    /// </summary>
    /// <value>Defaults to 1 minute.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets or sets the name of this endpoint: the namespace of its deduplication keys in the event store. Endpoints
    /// that share a store but must each process every event (say, two gateway accounts) need different names.
    /// </summary>
    /// <value>Defaults to <c>default</c>.</value>
    public string EndpointName { get; set; } = "default";

    /// <summary>Returns a description of the settings with the secrets redacted.</summary>
    /// <returns>The scheme, sizes, durations and how many secrets are set; never a secret.</returns>
    public override string ToString() =>
        $"KobbopayWebhookOptions {{ Scheme = {Scheme}, Secrets = {(Secrets.Count == 0 ? "(none)" : $"{Secrets.Count} × ***")}, SignatureHeaderName = {SignatureHeaderName}, Tolerance = {Tolerance}, MaxBodyBytes = {MaxBodyBytes}, LeaseDuration = {LeaseDuration}, EndpointName = {EndpointName} }}";

    /// <summary>Tells whether <paramref name="scheme"/> names the HMAC-SHA256 hex scheme.</summary>
    internal static bool IsHmac(string? scheme) => string.Equals(scheme, HmacSha256HexSignatureScheme.SchemeName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Tells whether <paramref name="scheme"/> names the Standard Webhooks scheme.</summary>
    internal static bool IsStandardWebhooks(string? scheme) => string.Equals(scheme, StandardWebhooksSignatureScheme.SchemeName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks the settings; yields one message per problem, each naming its setting under <paramref name="section"/> and none containing a secret.</summary>
    /// <param name="section">The configuration path of these settings, for the messages.</param>
    /// <param name="customScheme">Whether the application supplies its own signature scheme, which makes the scheme settings unused.</param>
    internal IEnumerable<string> Validate(string section, bool customScheme)
    {
        if (!customScheme)
        {
            foreach (string message in ValidateScheme(section))
            {
                yield return message;
            }
        }

        if (MaxBodyBytes is < 1 or > MaxBodyBytesLimit)
        {
            yield return $"{section}:MaxBodyBytes must be between 1 and {MaxBodyBytesLimit} (16 MiB); it is {MaxBodyBytes}.";
        }

        if (LeaseDuration <= TimeSpan.Zero || LeaseDuration > TimeSpan.FromDays(1))
        {
            yield return $"{section}:LeaseDuration must be more than zero and at most one day; it is {LeaseDuration}.";
        }

        if (string.IsNullOrEmpty(EndpointName) || EndpointName.Length > 64 || !EndpointName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            yield return $"{section}:EndpointName must be 1 to 64 letters, digits, '-', '_' or '.'.";
        }
    }

    private IEnumerable<string> ValidateScheme(string section)
    {
        bool hmac = IsHmac(Scheme);
        bool standard = IsStandardWebhooks(Scheme);
        if (!hmac && !standard)
        {
            string shown = Scheme is null ? "(null)" : Scheme.Length > 40 ? string.Concat(Scheme.AsSpan(0, 40), "…") : Scheme;
            yield return $"{section}:Scheme must be {HmacSha256HexSignatureScheme.SchemeName} or {StandardWebhooksSignatureScheme.SchemeName}; it is '{shown}'.";
        }

        if (Secrets is null || Secrets.Count == 0)
        {
            yield return $"{section}:Secrets is required: at least one webhook signing secret from your environment's integration materials (list two while rotating). Without one the endpoint would have nothing to verify deliveries against.";
        }
        else
        {
            for (int i = 0; i < Secrets.Count; i++)
            {
                string? secret = Secrets[i];
                if (string.IsNullOrWhiteSpace(secret))
                {
                    yield return $"{section}:Secrets:{i} is empty.";
                }
                else if (secret.Trim().Length != secret.Length)
                {
                    yield return $"{section}:Secrets:{i} starts or ends with white space; copy the secret exactly.";
                }
                else if (standard && !IsStandardWebhooksSecret(secret))
                {
                    yield return $"{section}:Secrets:{i} is not a Standard Webhooks secret: expected whsec_ followed by base64.";
                }
            }
        }

        if (hmac && (string.IsNullOrWhiteSpace(SignatureHeaderName) || !SignatureHeaderName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            yield return $"{section}:SignatureHeaderName must be a header name of letters, digits, '-' or '_'.";
        }

        if (standard && (Tolerance <= TimeSpan.Zero || Tolerance > TimeSpan.FromDays(1)))
        {
            yield return $"{section}:Tolerance must be more than zero and at most one day; it is {Tolerance}.";
        }
    }

    private static bool IsStandardWebhooksSecret(string secret)
    {
        ReadOnlySpan<char> key = secret.AsSpan();
        if (key.StartsWith(KobbopayPrefixes.StandardWebhooksSecret, StringComparison.Ordinal))
        {
            key = key[KobbopayPrefixes.StandardWebhooksSecret.Length..];
        }

        return !key.IsEmpty && !key.ContainsAny(" \t\r\n") && Base64.IsValid(key);
    }
}
