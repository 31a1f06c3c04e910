using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>
/// The network controls of the webhook route, checked before anything of the request body is read: the sender's
/// address must be in one of <see cref="KobbopayWebhookOptions.AllowedNetworks"/> (when any are listed), and it must
/// have presented a client certificate (with one of <see cref="KobbopayWebhookOptions.ClientCertificateThumbprints"/>,
/// when any are listed) when <see cref="KobbopayWebhookOptions.RequireClientCertificate"/> is set.
/// </summary>
/// <remarks>
/// The address is <see cref="ConnectionInfo.RemoteIpAddress"/>: the connection's peer, which the forwarded-headers
/// middleware replaces with the <c>X-Forwarded-For</c> address only when the peer is a proxy the application declared
/// (<c>ForwardedHeadersOptions.KnownProxies</c>, <c>KnownIPNetworks</c>). The certificate is the one the TLS handshake
/// gave (<see cref="ConnectionInfo.ClientCertificate"/>): Kestrel asks for one only when its
/// <c>ClientCertificateMode</c> says so. With neither control set, a check is two field reads.
/// </remarks>
internal sealed class WebhookIngressPolicy
{
    private readonly IPNetwork[] _networks;
    private readonly bool _requireCertificate;
    private readonly byte[][] _thumbprints;

    private WebhookIngressPolicy(IPNetwork[] networks, bool requireCertificate, byte[][] thumbprints)
    {
        _networks = networks;
        _requireCertificate = requireCertificate;
        _thumbprints = thumbprints;
    }

    /// <summary>Builds the policy from validated options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The policy.</returns>
    public static WebhookIngressPolicy Create(KobbopayWebhookOptions options) =>
        new(
            [.. options.AllowedNetworks.Select(n => IPNetwork.Parse(n))],
            options.RequireClientCertificate || options.ClientCertificateThumbprints.Count > 0,
            [.. options.ClientCertificateThumbprints.Select(Convert.FromHexString)]);

    /// <summary>Tells why the connection of <paramref name="context"/> may not deliver, or <see langword="null"/> when it may.</summary>
    /// <param name="context">The request.</param>
    /// <returns><see langword="null"/>, or a short reason for the log: never a certificate's content.</returns>
    public string? Refusal(HttpContext context)
    {
        if (_networks.Length == 0 && !_requireCertificate)
        {
            return null;
        }

        ConnectionInfo connection = context.Connection;
        if (_networks.Length > 0 && !IsAllowed(connection.RemoteIpAddress))
        {
            return "address not in AllowedNetworks";
        }

        if (_requireCertificate)
        {
            if (connection.ClientCertificate is not { } certificate)
            {
                return "no client certificate";
            }

            if (_thumbprints.Length > 0 && !IsPinned(certificate))
            {
                return "client certificate not in ClientCertificateThumbprints";
            }
        }

        return null;
    }

    /// <summary>Tells whether <paramref name="value"/> is a network in CIDR notation that <see cref="IPNetwork"/> reads, its address with no bits past the prefix.</summary>
    /// <param name="value">The setting's entry.</param>
    /// <returns>Whether it parses.</returns>
    public static bool IsNetwork(string? value) =>
        value is not null
        && IPNetwork.TryParse(value, out IPNetwork network)
        && IPAddress.TryParse(value.AsSpan(0, value.IndexOf('/', StringComparison.Ordinal)), out IPAddress? address)
        && address.Equals(network.BaseAddress);

    /// <summary>Tells whether <paramref name="value"/> is a SHA-256 thumbprint: 64 hexadecimal digits.</summary>
    /// <param name="value">The setting's entry.</param>
    /// <returns>Whether it is one.</returns>
    public static bool IsThumbprint(string? value) => value is { Length: 2 * SHA256.HashSizeInBytes } && value.All(char.IsAsciiHexDigit);

    private bool IsAllowed(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (IPNetwork network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsPinned(X509Certificate2 certificate)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        if (!certificate.TryGetCertHash(HashAlgorithmName.SHA256, hash, out _))
        {
            return false;
        }

        foreach (byte[] thumbprint in _thumbprints)
        {
            if (hash.SequenceEqual(thumbprint))
            {
                return true;
            }
        }

        return false;
    }
}
