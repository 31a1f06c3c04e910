using System.Net.Http.Headers;

namespace Kobbopay.Simulator.Commands;

/// <summary>
/// What every client of a running simulator's control API needs (the run, resend and trigger commands, and
/// <see cref="Scenarios.ScenarioRunner"/> over HTTP): its address as a base address, and the admin token.
/// </summary>
internal static class SimulatorControl
{
    /// <summary>The environment variable that holds the admin token when <c>--admin-token</c> is left out.</summary>
    public const string AdminTokenVariable = "KOBBOPAY_SIM_ADMIN_TOKEN";

    /// <summary>The admin token given on the command line, else <see cref="AdminTokenVariable"/>'s, else none.</summary>
    public static string? AdminToken(string? given) =>
        given ?? (Environment.GetEnvironmentVariable(AdminTokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null);

    /// <summary>The address with a trailing slash, so relative paths such as <c>_sim/clock</c> resolve below it.</summary>
    public static Uri BaseAddress(Uri address) => address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");

    /// <summary>An <see cref="HttpClient"/> at <paramref name="address"/> sending the admin token, when there is one.</summary>
    public static HttpClient CreateClient(Uri address, string? adminToken, TimeSpan timeout, HttpMessageHandler? handler = null)
    {
        HttpClient http = handler is null ? new HttpClient() : new HttpClient(handler);
        http.BaseAddress = BaseAddress(address);
        http.Timeout = timeout;
        if (adminToken is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        }

        return http;
    }
}
