using System.Text;

namespace Kobbopay.Simulator.Tests;

/// <summary>
/// The simulator's WireMock admin API keeps mappings, the journal, scenarios and health, and drops the routes that
/// write to the host (the file store, save-to-disk) or change settings at run time (which could lift the journal's
/// bound): those answer the contract's 404 and leave nothing behind.
/// </summary>
public sealed class AdminSurfaceTests
{
    [Theory]
    [InlineData("POST", "__admin/files/kobbopay-probe.txt")]
    [InlineData("PUT", "__admin/settings")]
    [InlineData("POST", "__admin/mappings/save")]
    [InlineData("GET", "__admin/mappings/code")]
    public async Task HostAndSettingsRoutes_AreNotServed(string method, string path)
    {
        await using var sim = await SimulatorSession.StartAsync();
        string probe = Path.Combine(AppContext.BaseDirectory, "__admin", "__files", "kobbopay-probe.txt");

        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : new StringContent("""{"MaxRequestLogCount":null}""", Encoding.UTF8, "application/json") };
        using var response = await sim.Control.SendAsync(request, Sim.Ct);

        ((int)response.StatusCode).ShouldBe(404, await response.Content.ReadAsStringAsync(Sim.Ct));
        (await response.Content.ReadAsStringAsync(Sim.Ct)).ShouldContain("\"code\":\"invalid_request\"");
        File.Exists(probe).ShouldBeFalse();
    }

    [Theory]
    [InlineData("__admin/mappings")]
    [InlineData("__admin/requests")]
    [InlineData("__admin/scenarios")]
    [InlineData("__admin/health")]
    public async Task MappingsJournalScenariosAndHealth_AreServed(string path)
    {
        await using var sim = await SimulatorSession.StartAsync();

        using var response = await sim.Control.GetAsync(path, Sim.Ct);

        ((int)response.StatusCode).ShouldBe(200, await response.Content.ReadAsStringAsync(Sim.Ct));
    }
}
