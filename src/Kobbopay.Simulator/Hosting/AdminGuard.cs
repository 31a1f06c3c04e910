using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WireMock.Server;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// Sits in front of WireMock's admin API (<c>/__admin</c>) so that no delete or reset removes the lifecycle:
/// <c>DELETE /__admin/mappings</c> and <c>POST /__admin/mappings/reset</c> remove the stubs only, <c>POST /__admin/reset</c>
/// (WireMock's reset: stubs, scenarios and the request journal) likewise, and a lifecycle mapping cannot be replaced or
/// deleted by id (409). After any other change through the admin API, missing lifecycle mappings are registered again.
/// </summary>
internal sealed class AdminGuard
{
    private const string Prefix = "/__admin";

    /// <summary>Gets or sets the server (set once it has started).</summary>
    public WireMockServer? Server { get; set; }

    /// <summary>Gets or sets the journal, trimmed to its capacity before WireMock lists it.</summary>
    public RequestJournal? Journal { get; set; }

    /// <summary>Gets or sets the lifecycle mappings, registered again when missing.</summary>
    public LifecycleMappings? Lifecycle { get; set; }

    /// <summary>Gets or sets the folder of mapping files loaded at start (reloaded on request), or <see langword="null"/>.</summary>
    public string? MappingsDirectory { get; set; }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        WireMockServer server = Server ?? throw new InvalidOperationException("The admin API is not ready.");
        string path = (context.Request.Path.Value ?? string.Empty).TrimEnd('/');
        string method = context.Request.Method;
        bool hasBody = context.Request.ContentLength > 0 || context.Request.Headers.ContainsKey("Transfer-Encoding");

        if (HttpMethods.IsGet(method) && path.StartsWith(Prefix + "/requests", StringComparison.OrdinalIgnoreCase))
        {
            Journal?.Trim(now: true);
        }

        if (HttpMethods.IsDelete(method) && Is(path, "/mappings") && !hasBody)
        {
            DeleteStubs(server);
            await WriteStatusAsync(context, StatusCodes.Status200OK, "Mappings deleted (the simulator's lifecycle mappings stay)");
            return;
        }

        if (HttpMethods.IsPost(method) && Is(path, "/mappings/reset"))
        {
            DeleteStubs(server);
            string message = "Mappings reset (the simulator's lifecycle mappings stay)";
            if (string.Equals(context.Request.Query["reloadStaticMappings"], "true", StringComparison.OrdinalIgnoreCase) && MappingsDirectory is { } folder)
            {
                MappingFiles.Load(server, folder);
                message += " and static mappings reloaded";
            }

            await WriteStatusAsync(context, StatusCodes.Status200OK, message);
            return;
        }

        if (HttpMethods.IsPost(method) && Is(path, "/reset"))
        {
            DeleteStubs(server);
            server.ResetLogEntries();
            await WriteStatusAsync(context, StatusCodes.Status200OK, "Reset performed: stubs, scenarios and the request journal (the simulator's lifecycle mappings stay; POST /_sim/reset clears payments)");
            return;
        }

        if ((HttpMethods.IsDelete(method) || HttpMethods.IsPut(method))
            && path.StartsWith(Prefix + "/mappings/", StringComparison.OrdinalIgnoreCase)
            && Guid.TryParse(path.AsSpan(Prefix.Length + "/mappings/".Length), out Guid id)
            && LifecycleMappings.Ids.Contains(id))
        {
            await WriteStatusAsync(context, StatusCodes.Status409Conflict, $"Mapping {id} is one of the simulator's lifecycle routes and cannot be changed or deleted; post a stub with a better (lower) priority to override it.");
            return;
        }

        if (HttpMethods.IsPost(method) && Is(path, "/mappings") && await NamesALifecycleMappingAsync(context) is { } taken)
        {
            await WriteStatusAsync(context, StatusCodes.Status409Conflict, $"Mapping {taken} is one of the simulator's lifecycle routes and cannot be replaced; post the stub without that Guid, with a better (lower) priority, to override it.");
            return;
        }

        await next(context);
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && Lifecycle is { } lifecycle)
        {
            lifecycle.EnsureRegistered(server);
        }
    }

    /// <summary>Reads a posted mapping (or array of mappings) and returns a lifecycle id it claims, leaving the body for WireMock.</summary>
    private static async Task<Guid?> NamesALifecycleMappingAsync(HttpContext context)
    {
        context.Request.EnableBuffering();
        try
        {
            using JsonDocument document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            IEnumerable<JsonElement> mappings = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray() : [document.RootElement];
            foreach (JsonElement mapping in mappings)
            {
                if (mapping.ValueKind == JsonValueKind.Object
                    && mapping.EnumerateObject().FirstOrDefault(p => p.NameEquals("Guid") || p.Name.Equals("guid", StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.String } property
                    && Guid.TryParse(property.Value.GetString(), out Guid id)
                    && LifecycleMappings.Ids.Contains(id))
                {
                    return id;
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null; // not JSON: WireMock answers it
        }
        finally
        {
            context.Request.Body.Position = 0;
        }
    }

    private static bool Is(string path, string suffix) => string.Equals(path, Prefix + suffix, StringComparison.OrdinalIgnoreCase);

    private static void DeleteStubs(WireMockServer server)
    {
        foreach (var mapping in server.Mappings)
        {
            if (!mapping.IsAdminInterface && !LifecycleMappings.Ids.Contains(mapping.Guid))
            {
                server.DeleteMapping(mapping.Guid);
            }
        }

        server.ResetScenarios();
    }

    private static async Task WriteStatusAsync(HttpContext context, int statusCode, string status)
    {
        // WireMock's admin answers: {"Status":"..."}.
        byte[] body = Encoding.UTF8.GetBytes("{\"Status\":\"" + System.Text.Json.JsonEncodedText.Encode(status) + "\"}");
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
