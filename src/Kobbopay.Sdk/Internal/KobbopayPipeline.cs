using Kobbopay.Sdk.Resilience;
using Microsoft.Extensions.Logging;

namespace Kobbopay.Sdk.Internal;

/// <summary>The client's handler chain, outermost first: telemetry -> resilience -> API key -> socket.</summary>
internal static class KobbopayPipeline
{
    public static HttpMessageHandler Build(KobbopayClientOptions options, HttpMessageHandler primary, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        ApiKeyHandler apiKey = new(options.ApiKeyHeaderName, options.ApiKey!) { InnerHandler = primary };
        KobbopayResilienceHandler resilience = new(KobbopayResiliencePipeline.Create(options.Resilience, timeProvider, loggerFactory.CreateLogger("Kobbopay.Sdk.Resilience"))) { InnerHandler = apiKey };
        return new TelemetryHandler(loggerFactory.CreateLogger("Kobbopay.Sdk.Http"), timeProvider) { InnerHandler = resilience };
    }

    /// <summary>Makes relative paths resolve under the base address's path: <c>https://h/api</c> becomes <c>https://h/api/</c>.</summary>
    public static Uri NormalizeBaseAddress(Uri baseAddress) =>
        baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
}
