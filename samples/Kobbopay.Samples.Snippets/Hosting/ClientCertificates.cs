using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Shop;

public static class ClientCertificates
{
    public static void Configure(WebApplicationBuilder builder)
    {
        // snippet: client-certificate
        builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https =>
        {
            // AllowCertificate: a connection without one reaches the endpoint and gets 403 (RequireCertificate
            // fails its TLS handshake instead, for every route on that endpoint).
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            // Validate the chain against the CA your gateway materials name, or accept self-signed ones here
            // and rely on ClientCertificateThumbprints.
            https.ClientCertificateValidation = (certificate, chain, errors) => errors == SslPolicyErrors.None;
        }));
        // end snippet
    }
}
