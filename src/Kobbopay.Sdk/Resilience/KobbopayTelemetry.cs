using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Kobbopay.Sdk.Resilience;

/// <summary>The SDK's activity source and meter, both named <see cref="Name"/>, and its instruments.</summary>
internal static class KobbopayTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Kobbopay.Sdk";

    /// <summary>The source of the SDK's activities.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>The meter that owns every SDK instrument.</summary>
    public static readonly Meter Meter = new(Name);

    /// <summary>Counts retries (not first attempts), tagged with <c>http.request.method</c> and <c>error.type</c>.</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("kobbopay.client.retries", unit: "{retry}", description: "Retries of Kobbopay API calls.");

    /// <summary>Counts logical calls (retries included in one call), tagged with <c>http.request.method</c> and <c>outcome</c>.</summary>
    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("kobbopay.client.requests", unit: "{request}", description: "Kobbopay API calls.");

    /// <summary>Records the duration of logical calls in seconds, retries included.</summary>
    public static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>("kobbopay.client.request.duration", unit: "s", description: "Duration of Kobbopay API calls, retries included.");
}
