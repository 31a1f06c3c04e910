using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kobbopay.TestUtilities;

/// <summary>
/// A health endpoint that shows each check, as an operator's would: <c>{"status":"Degraded","checks":{"name":{"status",
/// "description","tags","data":{…}}}}</c> (data values as invariant strings), written with <see cref="Utf8JsonWriter"/>. Degraded answers 200, Unhealthy 503.
/// </summary>
public static class HealthJson
{
    /// <summary>Maps the health checks at <paramref name="path"/> with <see cref="WriteAsync"/> as the response writer.</summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="path">The path.</param>
    /// <returns>The endpoint's builder.</returns>
    public static IEndpointConventionBuilder MapJsonHealthChecks(this IEndpointRouteBuilder endpoints, string path = "/health") =>
        endpoints.MapHealthChecks(path, new HealthCheckOptions { ResponseWriter = WriteAsync });

    /// <summary>Writes <paramref name="report"/> as JSON, one object per check.</summary>
    /// <param name="context">The request.</param>
    /// <param name="report">The report.</param>
    /// <returns>A task that completes when the body is written.</returns>
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        context.Response.ContentType = "application/json";
        Utf8JsonWriter json = new(context.Response.BodyWriter);
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteStartObject("checks");
            foreach ((string name, HealthReportEntry entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                json.WriteString("description", entry.Description);
                json.WriteStartArray("tags");
                foreach (string tag in entry.Tags)
                {
                    json.WriteStringValue(tag);
                }

                json.WriteEndArray();
                json.WriteStartObject("data");
                foreach ((string key, object value) in entry.Data)
                {
                    json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
            await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }
}
