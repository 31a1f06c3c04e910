using System.Diagnostics;
using System.Globalization;
using System.Net;
using Kobbopay.Cli.Configuration;
using Kobbopay.Contracts;

namespace Kobbopay.Cli.Doctor;

/// <summary>
/// Calls the gateway once (<c>GET v1/payments?limit=1</c>): is it reachable, is the key accepted, and how far is this
/// machine's clock from the gateway's <c>Date</c>. The key goes only over https or to loopback, as the SDK sends it.
/// </summary>
internal static class GatewayChecks
{
    /// <summary>The name of the reachability check.</summary>
    public const string Reachability = "reachability";

    /// <summary>The name of the clock check.</summary>
    public const string ClockSkew = "clock skew";

    // Webhook signatures (Standard Webhooks) are refused beyond 5 minutes either way; a minute is already worth a look.
    private static readonly TimeSpan WarnSkew = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FailSkew = TimeSpan.FromMinutes(5);

    /// <summary>Runs the checks that need the gateway.</summary>
    /// <param name="settings">The settings; the base address must be valid.</param>
    /// <param name="context">The clock and HTTP handler.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The reachability finding, then the clock finding when the gateway answered.</returns>
    public static async Task<IReadOnlyList<DoctorCheck>> RunAsync(CliSettings settings, CliContext context, CancellationToken cancellationToken)
    {
        Uri address = settings.BaseAddress!;
        bool sendKey = settings.ApiKey is not null && (address.Scheme == Uri.UriSchemeHttps || address.IsLoopback);
        using HttpClient http = context.PrimaryHandler is { } handler ? new HttpClient(handler, disposeHandler: false) : new HttpClient();
        http.Timeout = TimeSpan.FromSeconds(10);
        using HttpRequestMessage request = new(HttpMethod.Get, new Uri(address, "v1/payments?limit=1"));
        if (sendKey)
        {
            request.Headers.TryAddWithoutValidation(KobbopayHeaders.ApiKey, settings.ApiKey);
        }

        HttpResponseMessage response;
        long started = Stopwatch.GetTimestamp();
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            string why = ex is TaskCanceledException ? "no answer within 10 s" : ex.Message;
            return [DoctorCheck.Fail(Reachability, $"{settings.BaseAddressSetting} ({address}) is unreachable: {why}.")];
        }

        using (response)
        {
            TimeSpan took = Stopwatch.GetElapsedTime(started);
            return [Answered(settings, response, sendKey, took), Clock(response, context.TimeProvider)];
        }
    }

    private static DoctorCheck Answered(CliSettings settings, HttpResponseMessage response, bool sentKey, TimeSpan took)
    {
        int status = (int)response.StatusCode;
        string answered = string.Create(CultureInfo.InvariantCulture, $"{settings.BaseAddressSetting} answered {status} in {took.TotalMilliseconds:0} ms");
        if (!sentKey)
        {
            return DoctorCheck.Warn(Reachability, $"{answered}; the key was not sent (plain http or no key), so {settings.ApiKeySetting} is unchecked.");
        }

        return response.StatusCode switch
        {
            HttpStatusCode.OK => DoctorCheck.Ok(Reachability, $"{answered}; {settings.ApiKeySetting} was accepted."),
            HttpStatusCode.Unauthorized => DoctorCheck.Fail(Reachability, $"{answered}: {settings.ApiKeySetting} was refused (invalid_api_key)."),
            HttpStatusCode.Forbidden => DoctorCheck.Fail(Reachability, $"{answered}: {settings.ApiKeySetting} belongs to another environment than {settings.BaseAddressSetting} (environment_mismatch)."),
            HttpStatusCode.NotFound => DoctorCheck.Fail(Reachability, $"{answered}: no v1 API under {settings.BaseAddressSetting}; check the path of the base address."),
            _ => DoctorCheck.Warn(Reachability, $"{answered}, not 200."),
        };
    }

    private static DoctorCheck Clock(HttpResponseMessage response, TimeProvider timeProvider)
    {
        if (response.Headers.Date is not { } gateway)
        {
            return DoctorCheck.Warn(ClockSkew, "the gateway sent no Date header; the clock could not be compared.");
        }

        // Date has whole seconds: a skew under a second is no skew.
        TimeSpan skew = timeProvider.GetUtcNow() - gateway;
        string text = string.Create(CultureInfo.InvariantCulture, $"this machine's clock is {Math.Abs(skew.TotalSeconds):0} s {(skew >= TimeSpan.Zero ? "ahead of" : "behind")} the gateway's Date ({gateway.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'})");
        TimeSpan size = skew.Duration();
        return size > FailSkew
            ? DoctorCheck.Fail(ClockSkew, $"{text}: beyond the 5-minute webhook timestamp tolerance, deliveries would be refused as replays. Sync the clock (NTP).")
            : size > WarnSkew
                ? DoctorCheck.Warn(ClockSkew, $"{text}; sync the clock (NTP) before it reaches the 5-minute webhook tolerance.")
                : DoctorCheck.Ok(ClockSkew, $"{text}.");
    }
}
