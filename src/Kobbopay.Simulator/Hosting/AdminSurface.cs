using WireMock.Extensions;
using WireMock.Matchers.Request;
using WireMock.RequestBuilders;
using WireMock.Server;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// Narrows WireMock's admin API to what QA uses on a simulator: mappings, the request journal, scenarios, and health. Its file store (writes files on the host), OpenAPI conversion, proto definitions, C# code export,
/// saving mappings to disk and its settings (changing them at run time could lift the journal's bound) are removed. Each
/// admin route is a mapping that WireMock scores against every request, so fewer of them is also faster.
/// </summary>
internal static class AdminSurface
{
    private static readonly string[] Removed =
        ["/__admin/files", "/__admin/openapi", "/__admin/protodefinitions", "/__admin/mappings/code", "/__admin/mappings/wiremock.org", "/__admin/mappings/save", "/__admin/mappings/swagger", "/__admin/settings"];

    public static int Narrow(WireMockServer server)
    {
        int removed = 0;
        foreach (var mapping in server.Mappings.Where(m => m.IsAdminInterface))
        {
            if (mapping.RequestMatcher is not Request request)
            {
                continue;
            }

            string[] paths = request.GetRequestMessageMatchers<RequestMessagePathMatcher>()
                .SelectMany(m => m.Matchers ?? [])
                .SelectMany(m => m.GetPatterns().Select(p => p.GetPattern()))
                .ToArray();
            if (paths.Any(p => Removed.Any(r => p.Replace("\\/", "/", StringComparison.Ordinal).Contains(r, StringComparison.OrdinalIgnoreCase))))
            {
                server.DeleteMapping(mapping.Guid);
                removed++;
            }
        }

        return removed;
    }
}
