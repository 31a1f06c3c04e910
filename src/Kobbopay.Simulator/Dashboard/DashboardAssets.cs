using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// The dashboard's static shell (<c>Dashboard/Assets</c>, embedded in the assembly): HTML, CSS and JavaScript with no data
/// in them, so they are served without the admin token; every data call of the page goes to the guarded <c>/_sim</c> API.
/// Each answer carries a self-only Content-Security-Policy, <c>nosniff</c> and <c>Cache-Control: no-cache</c>, so a
/// browser never runs a stale script against a newer simulator.
/// </summary>
internal static class DashboardAssets
{
    /// <summary>The dashboard's address.</summary>
    public const string Path = "/_sim/ui";

    /// <summary>Allows the page's own scripts, styles and calls only: no inline script, no other origin, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, (string Resource, string ContentType)> Files = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        [Path] = ("index.html", "text/html; charset=utf-8"),
        [Path + "/dashboard.css"] = ("dashboard.css", "text/css; charset=utf-8"),
        [Path + "/dashboard.js"] = ("dashboard.js", "text/javascript; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, byte[]>> Contents = new(Load);

    /// <summary>Gets the paths of the shell's files.</summary>
    public static IEnumerable<string> Paths => Files.Keys;

    /// <summary>Tells whether a request asks for a file of the shell, which needs no admin token.</summary>
    public static bool IsPublic(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.Value is { } path && Files.ContainsKey(path);

    /// <summary>Writes the shell's file at the request's path.</summary>
    public static async Task WriteAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? string.Empty;
        (string resource, string contentType) = Files[path];
        byte[] body = Contents.Value[resource];
        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        WriteSecurityHeaders(response);
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    /// <summary>Adds the headers every dashboard answer carries.</summary>
    public static void WriteSecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-cache";
    }

    private static FrozenDictionary<string, byte[]> Load()
    {
        Dictionary<string, byte[]> contents = new(StringComparer.Ordinal);
        foreach ((string resource, _) in Files.Values)
        {
            using Stream stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream("Kobbopay.Simulator.Dashboard." + resource)
                ?? throw new InvalidOperationException($"The dashboard file {resource} is missing from the assembly.");
            using MemoryStream copy = new();
            stream.CopyTo(copy);
            contents[resource] = copy.ToArray();
        }

        return contents.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
