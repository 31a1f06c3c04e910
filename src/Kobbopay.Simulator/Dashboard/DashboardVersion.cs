using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// <c>GET /_sim/ui/version</c>: a fingerprint of what the dashboard shows (payments and events, deliveries and their
/// attempts, endpoints, faults, a manual clock) and the clock. The dashboard polls it about once a second, so the edge
/// answers it (after the admin token check) before WireMock: the polls never fill the request journal.
/// </summary>
internal static class DashboardVersion
{
    public const string Path = DashboardAssets.Path + "/version";

    public static bool Matches(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && string.Equals(request.Path.Value, Path, StringComparison.Ordinal);

    public static Task WriteAsync(HttpContext context, SimulatorState state)
    {
        bool manual = state.Clock.Mode == SimulatorClockMode.Manual;
        DateTimeOffset now = state.Clock.GetUtcNow();
        string version = string.Join('.',
            state.Engine.ChangeCount.ToString(CultureInfo.InvariantCulture),
            state.Dispatcher.Tally.ToString("x8", CultureInfo.InvariantCulture),
            state.Faults.Options.GetHashCode().ToString("x8", CultureInfo.InvariantCulture),
            manual ? now.UtcTicks.ToString(CultureInfo.InvariantCulture) : "wall");
        context.Response.Headers.CacheControl = "no-store";
        DashboardVersionDto body = new(version, new ClockDto(Wire.Timestamp(now), manual ? "manual" : "wall"));
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, body, DashboardJsonContext.Default.DashboardVersionDto);
    }
}
