using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using WireMock.Server;
using WireMock.Settings;

namespace Kobbopay.Sdk.Tests.TestSupport;

/// <summary>How <see cref="StubGateway.DropConnection"/> breaks the connection.</summary>
public enum ConnectionDrop
{
    /// <summary>The connection is closed before a byte of the answer is sent.</summary>
    BeforeTheAnswer,

    /// <summary>Status line, headers and half of the declared body are sent, then the connection is closed.</summary>
    MidBody,
}

/// <summary>
/// A WireMock.Net server on loopback (a free port) that serves the odd answers a real gateway or the proxy in
/// front of it can give, and a real <see cref="KobbopayClient"/> pointed at it. Dispose it at the end of a test.
/// </summary>
/// <remarks>
/// WireMock's own faults (<c>EMPTY_RESPONSE</c>, <c>MALFORMED_RESPONSE_CHUNK</c>) answer with a status line and a
/// bad body; they never break the connection. <see cref="DropConnection"/> does, with a middleware ahead of
/// WireMock's that aborts the connection; such requests are counted by <see cref="DroppedCount"/>, not in the
/// WireMock request log.
/// </remarks>
internal sealed class StubGateway : IDisposable
{
    public const string ApiKey = "kp_test_stub_gateway_0123456789";

    private readonly ConcurrentDictionary<string, ConnectionDrop> _drops = new(StringComparer.Ordinal);
    private int _dropped;
    private int _arrived;

    private StubGateway()
    {
        Server = WireMockServer.Start(new WireMockServerSettings
        {
            Urls = ["http://127.0.0.1:0"],
            StartAdminInterface = false,
            PreWireMockMiddlewareInit = app => ((IApplicationBuilder)app).Use(DropOrPassAsync),
        });
    }

    public WireMockServer Server { get; }

    public Uri BaseAddress => new(Server.Url!);

    /// <summary>Gets how many requests reached the server, counted as they arrive (WireMock logs a request only once it is answered).</summary>
    public int ArrivedCount => Volatile.Read(ref _arrived);

    /// <summary>Gets how many requests a <see cref="DropConnection"/> rule broke.</summary>
    public int DroppedCount => Volatile.Read(ref _dropped);

    public static StubGateway Start() => new();

    /// <summary>Gets how many requests WireMock answered, optionally only those for <paramref name="path"/>.</summary>
    public int RequestCount(string? path = null) =>
        Server.LogEntries.Count(e => path is null || string.Equals(e.RequestMessage.Path, path, StringComparison.Ordinal));

    /// <summary>Breaks the connection of every request to <paramref name="path"/>.</summary>
    public void DropConnection(string path, ConnectionDrop how) => _drops[path] = how;

    /// <summary>A client for this stub: no jitter, 1 ms base delay, 2 retries, breaker off, unless <paramref name="configure"/> says otherwise.</summary>
    public KobbopayClient NewClient(Action<KobbopayResilienceOptions>? configure = null)
    {
        KobbopayResilienceOptions resilience = new()
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(20),
            UseJitter = false,
            MaxRetryAttempts = 2,
            EnableCircuitBreaker = false,
        };
        configure?.Invoke(resilience);
        return KobbopayClient.Create(new KobbopayClientOptions
        {
            BaseAddress = BaseAddress,
            ApiKey = ApiKey,
            Environment = KobbopayEnvironment.NonProduction,
            Resilience = resilience,
        });
    }

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }

    private async Task DropOrPassAsync(HttpContext context, Func<Task> next)
    {
        Interlocked.Increment(ref _arrived);
        if (context.Request.Path.Value is not { } path || !_drops.TryGetValue(path, out ConnectionDrop how))
        {
            await next();
            return;
        }

        Interlocked.Increment(ref _dropped);
        if (how == ConnectionDrop.MidBody)
        {
            byte[] body = Encoding.UTF8.GetBytes(StubBodies.Payment);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = body.Length;
            context.Response.Headers["x-request-id"] = "req_dropped_mid_body";
            await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);

            // Abort discards output still queued in the server: give the half body time to reach the client, so
            // that the client has its headers and is reading the body when the connection breaks.
            await Task.Delay(TimeSpan.FromMilliseconds(100), context.RequestAborted);
        }

        context.Abort();
    }
}

/// <summary>Answers as the contract spells them, and ways of getting them wrong.</summary>
internal static class StubBodies
{
    public const string Payment =
        """{"id":"pay_stub","status":"pending","amount":"10.50","currency":"USDT","network":"example-network","orderId":"order-1","metadata":null,"address":"0xabc","statusUrl":"https://pay.example/s/tok_1","amountReceived":null,"confirmations":null,"txHash":null,"createdAt":"2026-11-21T10:00:00Z","updatedAt":"2026-11-21T10:00:00Z","expiresAt":"2026-11-21T10:15:00Z","paidAt":null,"confirmedAt":null,"expiredAt":null}""";

    public const string Page = """{"data":[""" + Payment + """],"nextCursor":null}""";

    /// <summary>What a CDN or proxy in front of the gateway answers with a 200 while it "checks the browser".</summary>
    public const string ProxyInterstitial =
        "<!DOCTYPE html>\n<html><head><title>Just a moment...</title></head><body><h1>Checking your connection</h1><p>Please wait.</p></body></html>\n";

    /// <summary>What nginx in front of the gateway answers on its own errors.</summary>
    public static string ProxyErrorPage(int status) =>
        $"<html>\r\n<head><title>{status} Error</title></head>\r\n<body>\r\n<center><h1>{status} Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    public static string Error(string code, string message, string? param, string requestId)
    {
        string paramJson = param is null ? "null" : "\"" + param + "\"";
        return $$$"""{"error":{"code":"{{{code}}}","message":"{{{message}}}","param":{{{paramJson}}},"requestId":"{{{requestId}}}"}}""";
    }
}
