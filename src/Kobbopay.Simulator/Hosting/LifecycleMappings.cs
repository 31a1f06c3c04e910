using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// The WireMock mappings that are the simulator: the <c>/v1</c> routes, the control API, the payer status page, the
/// OpenAPI document and a fallback, each answered by the engine. They sit at a worse priority than a stub posted
/// without one (WireMock's default is 0; lower wins), so a QA stub overrides the routes it matches; the injected faults
/// sit above stubs, as the network would. They have fixed ids, listed in <c>GET /__admin/mappings</c>, and
/// <see cref="AdminGuard"/> keeps them through every delete and reset.
/// </summary>
internal sealed class LifecycleMappings(Func<IRequestMessage, Task<IResponseMessage>> answer, Uri? proxyTo, bool recordProxied, string apiKeyHeader)
{
    /// <summary>The priority of the proxy to another gateway (<c>--proxy-to</c>): above the lifecycle routes, below stubs.</summary>
    public const int ProxyPriority = 999;

    private static readonly Guid ProxyId = Guid.Parse("9c1e0000-0000-4000-8000-000000000010");

    /// <summary>The priority of the injected-fault mapping: above a stub's default.</summary>
    public const int FaultPriority = -1_000_000;

    /// <summary>The priority of the lifecycle routes: below a stub's default.</summary>
    public const int RoutePriority = 1_000;

    /// <summary>The priority of the fallback that answers every other path (404, 405 in the contract's error body).</summary>
    public const int FallbackPriority = 1_000_000;

    private static readonly Mapping[] All =
    [
        new("9c1e0000-0000-4000-8000-000000000001", "Kobbopay simulator: injected fault (/v1)", FaultPriority,
            () => Request.Create().WithPath(new WildcardMatcher("/v1/*")).UsingAnyMethod()
                .WithHeader(RequestJournal.Header, new RegexMatcher(@"fault=(internal_error|unavailable|rate_limited|drop_connection)\b"))),
        new("9c1e0000-0000-4000-8000-000000000002", "Kobbopay lifecycle: POST /v1/payments (create)", RoutePriority,
            () => Request.Create().WithPath("/v1/payments").UsingPost()),
        new("9c1e0000-0000-4000-8000-000000000003", "Kobbopay lifecycle: GET /v1/payments (list)", RoutePriority,
            () => Request.Create().WithPath("/v1/payments").UsingGet()),
        new("9c1e0000-0000-4000-8000-000000000004", "Kobbopay lifecycle: GET /v1/payments/{id}", RoutePriority,
            () => Request.Create().WithPath(new WildcardMatcher("/v1/payments/*")).UsingGet()),
        new("9c1e0000-0000-4000-8000-000000000005", "Kobbopay lifecycle: GET /v1/events", RoutePriority,
            () => Request.Create().WithPath("/v1/events").UsingGet()),
        new("9c1e0000-0000-4000-8000-000000000006", "Kobbopay simulator: control API /_sim/*", RoutePriority,
            () => Request.Create().WithPath(new WildcardMatcher("/_sim/*")).UsingAnyMethod()),
        new("9c1e0000-0000-4000-8000-000000000007", "Kobbopay simulator: payer status page /pay/{token}", RoutePriority,
            () => Request.Create().WithPath(new WildcardMatcher("/pay/*")).UsingGet()),
        new("9c1e0000-0000-4000-8000-000000000008", "Kobbopay simulator: OpenAPI document /openapi/{name}.json", RoutePriority,
            () => Request.Create().WithPath(new WildcardMatcher("/openapi/*")).UsingGet()),
        new("9c1e0000-0000-4000-8000-000000000009", "Kobbopay simulator: every other path (contract errors)", FallbackPriority,
            () => Request.Create().WithPath(new WildcardMatcher("/*")).UsingAnyMethod()),
    ];

    /// <summary>Gets the ids of the lifecycle mappings.</summary>
    public static IReadOnlySet<Guid> Ids { get; } = All.Select(m => m.Id).Append(ProxyId).ToHashSet();

    /// <summary>Adds every lifecycle mapping that the server does not hold (all of them at start).</summary>
    public void EnsureRegistered(WireMockServer server)
    {
        HashSet<Guid> present = server.Mappings.Select(m => m.Guid).ToHashSet();
        if (proxyTo is not null && !present.Contains(ProxyId))
        {
            // WireMock's proxy-and-record, for the /v1 API only: the control API, faults and stubs stay the simulator's.
            server.Given(Request.Create().WithPath(new WildcardMatcher("/v1/*")).UsingAnyMethod())
                .WithGuid(ProxyId)
                .WithTitle($"Kobbopay simulator: /v1 proxied to {proxyTo}")
                .AtPriority(ProxyPriority)
                .RespondWith(Response.Create().WithProxy(new WireMock.Settings.ProxyAndRecordSettings
                {
                    Url = proxyTo.ToString().TrimEnd('/'),
                    SaveMapping = recordProxied,

                    // A recording matches on method, path, query, body and Idempotency-Key, not on what differs per
                    // request (the journal header, the connection's headers) or the API key, which it must not keep.
                    ExcludedHeaders = [RequestJournal.Header, apiKeyHeader, "Authorization", "Host", "Content-Length", "User-Agent", "Accept", "Accept-Encoding", "Connection", "Expect", "traceparent", "tracestate", "Request-Id", "x-request-id"],
                }));
        }

        foreach (Mapping mapping in All)
        {
            if (!present.Contains(mapping.Id))
            {
                server.Given(mapping.Request())
                    .WithGuid(mapping.Id)
                    .WithTitle(mapping.Title)
                    .AtPriority(mapping.Priority)
                    .RespondWith(Response.Create().WithCallback(answer));
            }
        }
    }

    private sealed record Mapping(Guid Id, string Title, int Priority, Func<IRequestBuilder> Request)
    {
        public Mapping(string id, string title, int priority, Func<IRequestBuilder> request)
            : this(Guid.Parse(id), title, priority, request)
        {
        }
    }
}
