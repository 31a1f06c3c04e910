using Kobbopay.Shared.Options;
using Kobbopay.Webhooks;

namespace Kobbopay.AspNetCore;

/// <summary>
/// Settings of the Kobbopay webhook endpoint. Bound from configuration (section <c>Kobbopay:Webhooks</c> by
/// convention) and validated when the application starts; every failure names the setting and none shows a secret.
/// The secrets, the signature settings and the network controls follow configuration reloads: a reload that validates
/// is in use from the next delivery, one that does not is refused with a warning and the last valid settings stay.
/// The other settings are read once, when the endpoint first runs.
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
    /// <value>
    /// No default: at least one is required. An endpoint without a secret fails at start rather than accept anything, and
    /// so does one with a secret that looks like a placeholder: angle brackets (<c>&lt;from your secret store&gt;</c>),
    /// white space, or fewer than 16 characters.
    /// </value>
    public IList<string> Secrets { get; } = [];

    /// <summary>Gets or sets the header that carries the signature for <c>hmac-sha256-hex</c>. <c>standard-webhooks</c> always uses <c>webhook-signature</c>.</summary>
    /// <value>Defaults to <c>x-signature</c>.</value>
    public string SignatureHeaderName { get; set; } = HmacSha256HexSignatureScheme.DefaultHeaderName;

    /// <summary>Gets or sets how far the <c>webhook-timestamp</c> of a <c>standard-webhooks</c> delivery may be from now, either way, before it is refused as a replay.</summary>
    /// <value>Defaults to 5 minutes.</value>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the largest request body accepted, in bytes; a larger one is answered 413 without being read further.</summary>
    /// <value>Defaults to 262,144 (256 KiB); at most <see cref="MaxBodyBytesLimit"/>.</value>
    [SettingRange(1, MaxBodyBytesLimit, "between 1 and 16777216 (16 MiB)")]
    public long MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Gets or sets how long a delivery holds an event while its handlers run. Another delivery of the event meanwhile
    /// is answered 409 (the gateway retries it); when the lease runs out (say, the process died) the next delivery
    /// takes the event over. Make it longer than your handlers ever take.
    /// </summary>
    /// <value>Defaults to 1 minute.</value>
    [SettingRange("00:00:00", "1.00:00:00", "more than zero and at most one day", MinimumIsExclusive = true)]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets or sets the name of this endpoint: the namespace of its deduplication keys in the event store. Endpoints
    /// that share a store but must each process every event (say, two gateway accounts) need different names.
    /// </summary>
    /// <value>Defaults to <c>default</c>.</value>
    [SettingPattern(@"^[A-Za-z0-9._-]{1,64}\z", "1 to 64 letters, digits, '-', '_' or '.'")]
    public string EndpointName { get; set; } = "default";

    /// <summary>
    /// Gets or sets whether the payment is read from the API before your code runs (signal-then-fetch: the webhook is a
    /// signal, not proof). Your code then gets the authoritative payment in <see cref="KobbopayWebhookContext.Payment"/>
    /// beside the event's claim; when the read fails the delivery is answered 503 and your code does not run, so the
    /// gateway retries. It reads through the registered <c>IKobbopayPaymentReader</c>: <c>AddKobbopayClient</c>
    /// registers the default client as one. It costs one API call per new event.
    /// </summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool FetchPaymentBeforeHandling { get; set; }

    /// <summary>
    /// Gets the networks, in CIDR notation (<c>203.0.113.0/24</c>, <c>2001:db8::/32</c>; one address is
    /// <c>203.0.113.7/32</c>), that may deliver. A request from any other address is answered 403 before its body is
    /// read. The address is the connection's peer; behind a reverse proxy, add the forwarded-headers middleware with the
    /// proxy declared in <c>ForwardedHeadersOptions.KnownProxies</c> (or <c>KnownIPNetworks</c>), so that the
    /// <c>X-Forwarded-For</c> address counts only when it comes from that proxy.
    /// </summary>
    /// <value>Empty by default: every address may deliver, the signature alone decides.</value>
    public IList<string> AllowedNetworks { get; } = [];

    /// <summary>
    /// Gets or sets whether a delivery must come over a TLS connection on which the sender presented a client
    /// certificate (mutual TLS); without one it is answered 403 before its body is read. Kestrel asks for a certificate
    /// only when told to: set <c>ClientCertificateMode</c> to <c>AllowCertificate</c> or <c>RequireCertificate</c> in
    /// its HTTPS settings, and validate the chain there (or pin <see cref="ClientCertificateThumbprints"/>).
    /// </summary>
    /// <value>Defaults to <see langword="false"/>; listing <see cref="ClientCertificateThumbprints"/> requires it.</value>
    public bool RequireClientCertificate { get; set; }

    /// <summary>Gets the SHA-256 thumbprints (64 hexadecimal digits) of the client certificates accepted when <see cref="RequireClientCertificate"/> is set; any other certificate is answered 403.</summary>
    /// <value>Empty by default: any certificate the server accepted in the handshake will do.</value>
    public IList<string> ClientCertificateThumbprints { get; } = [];

    /// <summary>Returns a description of the settings with the secrets redacted.</summary>
    /// <returns>The scheme, sizes, durations and how many secrets are set; never a secret.</returns>
    public override string ToString() =>
        $"KobbopayWebhookOptions {{ Scheme = {Scheme}, Secrets = {(Secrets.Count == 0 ? "(none)" : $"{Secrets.Count} × ***")}, SignatureHeaderName = {SignatureHeaderName}, Tolerance = {Tolerance}, MaxBodyBytes = {MaxBodyBytes}, LeaseDuration = {LeaseDuration}, EndpointName = {EndpointName}, AllowedNetworks = {AllowedNetworks.Count}, RequireClientCertificate = {RequireClientCertificate}, FetchPaymentBeforeHandling = {FetchPaymentBeforeHandling} }}";

    /// <summary>Tells whether <paramref name="scheme"/> names the HMAC-SHA256 hex scheme.</summary>
    internal static bool IsHmac(string? scheme) => string.Equals(scheme, HmacSha256HexSignatureScheme.SchemeName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Tells whether <paramref name="scheme"/> names the Standard Webhooks scheme.</summary>
    internal static bool IsStandardWebhooks(string? scheme) => string.Equals(scheme, StandardWebhooksSignatureScheme.SchemeName, StringComparison.OrdinalIgnoreCase);
}
