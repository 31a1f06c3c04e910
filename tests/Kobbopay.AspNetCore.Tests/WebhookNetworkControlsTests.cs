using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using static Kobbopay.AspNetCore.Tests.TestSupport.Payloads;
using static Kobbopay.AspNetCore.Tests.TestSupport.WebhookApp;

namespace Kobbopay.AspNetCore.Tests;

/// <summary>The network controls of the webhook route: an allowlist of networks and a client certificate, both checked before the body is read.</summary>
public sealed class WebhookNetworkControlsTests
{
    private const string AllowedNetwork = "203.0.113.0/24";
    private const string AllowedAddress = "203.0.113.9";

    [Theory]
    [InlineData(false, 403)]
    [InlineData(true, 200)]
    public async Task XForwardedFor_CountsOnlyFromADeclaredProxy_AndARefusedSenderHasNoByteOfItsBodyRead(bool proxyDeclared, int expected)
    {
        HandlerCalls calls = new();
        Dictionary<string, string?> settings = DefaultSettings();
        settings["Kobbopay:Webhooks:AllowedNetworks:0"] = AllowedNetwork;
        TaskCompletionSource<long> bytesRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await using WebhookApp app = await WebhookApp.StartAsync(calls, settings: settings, middleware: a =>
        {
            // Counts what the app read of the request body (Kestrel reads the request pipe over a replaced stream), once
            // the endpoint is done: that may be after the client has its answer, so the test awaits the count.
            a.Use(async (context, next) =>
            {
                CountingStream counting = new(context.Request.Body);
                context.Request.Body = counting;
                await next(context);
                bytesRead.TrySetResult(counting.BytesRead);
            });
            a.UseForwardedHeaders(Forwarding(proxyDeclared));
        });
        byte[] body = Event("evt_forwarded");

        // The request comes from 127.0.0.1 and says it was forwarded for an allowed address.
        ApiResponse response = await app.PostAsync(body, [.. Sign(body), new("X-Forwarded-For", AllowedAddress)]);

        response.Status.ShouldBe(expected);
        (await bytesRead.Task.WaitAsync(Ct)).ShouldBe(proxyDeclared ? body.Length : 0);
        calls.Counts.Count.ShouldBe(proxyDeclared ? 1 : 0);
        if (!proxyDeclared)
        {
            response.ToString().ShouldBe(Answer(403, "forbidden"));
            FakeLogRecord refused = app.Logs.GetSnapshot().Where(r => r.Id.Id == 209).ShouldHaveSingleItem();
            refused.Level.ShouldBe(LogLevel.Warning);
            refused.Message.ShouldContain("address not in AllowedNetworks");
            refused.Message.ShouldContain("remote address 127.0.0.1");
        }
    }

    [Fact]
    public async Task ASenderOutsideTheAllowlist_Gets403_EvenForABodyOverTheCap()
    {
        HandlerCalls calls = new();
        Dictionary<string, string?> settings = DefaultSettings();
        settings["Kobbopay:Webhooks:AllowedNetworks:0"] = AllowedNetwork;
        settings["Kobbopay:Webhooks:AllowedNetworks:1"] = "2001:db8::/32";
        settings["Kobbopay:Webhooks:MaxBodyBytes"] = "1024";
        await using WebhookApp app = await WebhookApp.StartAsync(calls, settings: settings);
        byte[] body = Event("evt_outside", totalBytes: 4096);

        (await app.PostAsync(body, Sign(body))).ToString().ShouldBe(Answer(403, "forbidden"));
        (await app.PostAsync(body, Sign(body), contentType: "text/plain")).ToString().ShouldBe(Answer(403, "forbidden"));
        calls.Counts.ShouldBeEmpty();
    }

    [Fact]
    public async Task RequireClientCertificate_RefusesADeliveryWithoutOne_With403()
    {
        HandlerCalls calls = new();
        Dictionary<string, string?> settings = DefaultSettings();
        settings["Kobbopay:Webhooks:AllowedNetworks:0"] = "127.0.0.0/8";
        settings["Kobbopay:Webhooks:RequireClientCertificate"] = "true";
        await using WebhookApp app = await WebhookApp.StartAsync(calls, settings: settings);
        byte[] body = Event("evt_no_certificate");

        (await app.PostSignedAsync(body)).ToString().ShouldBe(Answer(403, "forbidden"));
        app.Logs.GetSnapshot().Where(r => r.Id.Id == 209).ShouldHaveSingleItem().Message.ShouldContain("no client certificate");
        calls.Counts.ShouldBeEmpty();
    }

    [Fact]
    public async Task OverMutualTls_OnlyAPinnedClientCertificate_Delivers()
    {
        using X509Certificate2 serverCertificate = SelfSigned("CN=localhost", "1.3.6.1.5.5.7.3.1");
        using X509Certificate2 gateway = SelfSigned("CN=gateway", "1.3.6.1.5.5.7.3.2");
        using X509Certificate2 intruder = SelfSigned("CN=intruder", "1.3.6.1.5.5.7.3.2");
        HandlerCalls calls = new();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = serverCertificate,
            // Ask for a certificate but let a connection without one through, so that the endpoint answers it (403).
            ClientCertificateMode = ClientCertificateMode.AllowCertificate,
            // The gateway's certificate is self-signed here: the thumbprint pin below is what decides.
            ClientCertificateValidation = (_, _, _) => true,
        })));
        Dictionary<string, string?> settings = DefaultSettings();
        settings["Kobbopay:Webhooks:RequireClientCertificate"] = "true";
        settings["Kobbopay:Webhooks:ClientCertificateThumbprints:0"] = gateway.GetCertHashString(HashAlgorithmName.SHA256);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(calls).AddScoped<ScopeMarker>();
        builder.Services.AddKobbopayWebhooks(builder.Configuration.GetSection("Kobbopay:Webhooks")).AddHandler<CatchAllHandler>();
        WebApplication web = builder.Build();
        web.MapKobbopayWebhooks(WebhookPath);
        await using LoopbackHost host = await LoopbackHost.StartAsync(web, Ct);

        string[] answers = new string[3];
        int i = 0;
        foreach (X509Certificate2? certificate in new[] { gateway, intruder, null })
        {
            byte[] body = Event("evt_tls_" + i);
            using HttpClient client = new(TlsHandler(certificate)) { BaseAddress = host.BaseAddress };
            using ByteArrayContent content = new(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using HttpRequestMessage request = new(HttpMethod.Post, WebhookPath) { Content = content };
            foreach (KeyValuePair<string, string> header in Sign(body))
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            answers[i++] = (await ApiResponse.ReadAsync(await client.SendAsync(request, Ct), Ct)).ToString();
        }

        host.BaseAddress.Scheme.ShouldBe("https");
        answers.ShouldBe([Answer(200, "processed"), Answer(403, "forbidden"), Answer(403, "forbidden")]);
        calls.Counts.Keys.ShouldBe(["evt_tls_0"]);
    }

    private static ForwardedHeadersOptions Forwarding(bool proxyDeclared)
    {
        ForwardedHeadersOptions options = new() { ForwardedHeaders = ForwardedHeaders.XForwardedFor };
        // The app's proxy is 192.0.2.1 or the loopback one. Both lists empty would trust every sender's X-Forwarded-For.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Add(proxyDeclared ? IPAddress.Loopback : IPAddress.Parse("192.0.2.1"));
        return options;
    }

    private static SocketsHttpHandler TlsHandler(X509Certificate2? certificate) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
            LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate!,
        },
    };

    private static X509Certificate2 SelfSigned(string subject, string usage)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], critical: false));
        SubjectAlternativeNameBuilder names = new();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        using X509Certificate2 created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>A request body that counts the bytes read from it.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous reads are off in Kestrel.");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
