using System.Net.Http.Headers;
using System.Text.Json;

namespace Kobbopay.Simulator.Tests.TestSupport;

/// <summary>
/// WireMock's admin API over plain HTTP and JSON, as any WireMock client would use it: mappings in WireMock's JSON
/// format (<c>Request.Path</c>, <c>Request.Methods</c>, <c>Response.StatusCode</c>, <c>Response.BodyAsJson</c>),
/// <c>{"Guid":..,"Status":..}</c> answers, the journal as an array of <c>{Request:{Path,Method,Headers},Response:{StatusCode}}</c>.
/// </summary>
internal static class WireMockAdmin
{
    /// <summary>The title prefix every lifecycle mapping has.</summary>
    public const string LifecycleTitlePrefix = "Kobbopay";

    /// <summary>The lifecycle mapping of <c>GET /v1/payments/{id}</c>.</summary>
    public const string GetPaymentMappingId = "9c1e0000-0000-4000-8000-000000000004";

    /// <summary>A client for the admin API, with <c>Authorization: Bearer</c> when a token is given.</summary>
    public static HttpClient CreateAdminClient(this KobbopaySimulator sim, string? token = null)
    {
        HttpClient client = sim.CreateAnonymousClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>A stub in WireMock's mapping format, without a priority (WireMock's default, 0).</summary>
    public static string Stub(string method, string path, int status, string bodyJson) =>
        $$$"""{"Request":{"Path":"{{{path}}}","Methods":["{{{method}}}"]},"Response":{"StatusCode":{{{status}}},"BodyAsJson":{{{bodyJson}}}}}""";

    /// <summary>Posts a mapping; fails the test unless WireMock answers 201 with the mapping's guid.</summary>
    public static async Task<Guid> PostMappingAsync(HttpClient admin, string mappingJson)
    {
        ApiResponse response = await admin.PostJsonAsync("__admin/mappings", mappingJson, Sim.Ct);
        response.Status.ShouldBe(201, response.Body);
        response.Json.Str("Status").ShouldBe("Mapping added");
        return Guid.Parse(response.Json.Str("Guid")!);
    }

    /// <summary>Lists the mappings (<c>GET /__admin/mappings</c>).</summary>
    public static async Task<JsonElement[]> MappingsAsync(HttpClient admin)
    {
        ApiResponse response = await admin.GetApiAsync("__admin/mappings", Sim.Ct);
        response.Status.ShouldBe(200, response.Body);
        return [.. response.Json.EnumerateArray()];
    }

    /// <summary>The lifecycle mappings among <paramref name="mappings"/>: those titled <c>Kobbopay…</c>.</summary>
    public static JsonElement[] Lifecycle(JsonElement[] mappings) =>
        [.. mappings.Where(m => Title(m)?.StartsWith(LifecycleTitlePrefix, StringComparison.Ordinal) == true)];

    /// <summary>A mapping's title, or <see langword="null"/> when it has none (WireMock leaves the field out).</summary>
    public static string? Title(JsonElement mapping) =>
        mapping.TryGetProperty("Title", out JsonElement title) && title.ValueKind == JsonValueKind.String ? title.GetString() : null;

    /// <summary>The guids of <paramref name="mappings"/>.</summary>
    public static Guid[] Guids(IEnumerable<JsonElement> mappings) => [.. mappings.Select(m => Guid.Parse(m.Str("Guid")!))];

    /// <summary>Reads the request journal (<c>GET /__admin/requests</c>).</summary>
    public static async Task<ApiResponse> JournalAsync(HttpClient admin)
    {
        ApiResponse response = await admin.GetApiAsync("__admin/requests", Sim.Ct);
        response.Status.ShouldBe(200, response.Body);
        response.Json.ValueKind.ShouldBe(JsonValueKind.Array);
        return response;
    }

    /// <summary>The request paths of a journal, in the journal's order.</summary>
    public static string[] Paths(ApiResponse journal) =>
        [.. journal.Json.EnumerateArray().Select(e => e.Prop("Request").Str("Path")!)];
}
