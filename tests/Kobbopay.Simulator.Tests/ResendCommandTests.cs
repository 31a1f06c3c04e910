using System.CommandLine;
using Kobbopay.Simulator.Commands;

namespace Kobbopay.Simulator.Tests;

/// <summary><c>kobbopay-sim resend</c>, parsed and run in process against a simulator on loopback.</summary>
public sealed class ResendCommandTests
{
    [Fact]
    public async Task Resend_PrintsWhatWasSent_AndThe200_AndExitsZero()
    {
        await using var scene = await WebhookScene.StartAsync(registered: 1);

        var (exitCode, output, errors) = await RunAsync("resend", scene.EventId, "--simulator", scene.Sim.Simulator.BaseAddress.ToString());

        exitCode.ShouldBe(0, errors);
        var resent = scene.Sim.Deliveries.Single(d => d.Id != scene.Original!.Id);
        output.ShouldContain($"-> payment.created {scene.EventId} to {scene.Receivers[0].Url} (delivery {resent.Id}, endpoint {scene.Endpoints[0].Id})");
        output.ShouldContain("<- 200 in ");
        output.ShouldContain($"x-delivery-id {resent.Attempts[0].DeliveryAttemptId}");
        scene.Receivers[0].Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Resend_ToAnotherUrl_AnsweredWith500_ExitsOne()
    {
        await using var scene = await WebhookScene.StartAsync(registered: 1, unregistered: 1);
        var other = scene.Receivers[1];
        other.Answer = WebhookSetup.Always(500);

        var (exitCode, output, _) = await RunAsync("resend", scene.EventId, "--to", other.Url.ToString(), "--simulator", scene.Sim.Simulator.BaseAddress.ToString());

        exitCode.ShouldBe(1);
        output.ShouldContain($"to {other.Url} (delivery dlv_");
        output.ShouldContain("<- 500 in ");
        other.Requests.ShouldHaveSingleItem().Body.ShouldBe(scene.Receivers[0].Requests.Single().Body);
    }

    [Theory]
    [InlineData("--to|http://127.0.0.1:1/hook|--endpoint|we_x", "--to and --endpoint both say where to send it")]
    [InlineData("--to|ftp://127.0.0.1/hook", "--to must be an absolute http or https address")]
    [InlineData("--timeout|0", "--timeout must be")]
    public async Task BadOptions_ExitTwo_NamingThem_BeforeAnyCall(string options, string message)
    {
        // Nothing listens on port 1: an option checked only after a call would exit 3.
        var (exitCode, _, errors) = await RunAsync(["resend", "evt_unknown", "--simulator", "http://127.0.0.1:1/", .. options.Split('|')]);

        exitCode.ShouldBe(2);
        errors.ShouldContain(message);
    }

    [Fact]
    public async Task AnUnknownEvent_ExitsTwo_WithTheSimulatorsError()
    {
        await using var scene = await WebhookScene.StartAsync(registered: 1);

        var (exitCode, _, errors) = await RunAsync("resend", "evt_unknown", "--simulator", scene.Sim.Simulator.BaseAddress.ToString());

        exitCode.ShouldBe(2);
        errors.ShouldContain("404 event_not_found: No event has the id evt_unknown.");
        scene.Sim.Deliveries.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task AnUnreachableSimulator_ExitsThree()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exitCode, _, errors) = await RunAsync("resend", "evt_x", "--simulator", $"http://127.0.0.1:{port}/");

        exitCode.ShouldBe(3);
        errors.ShouldContain("cannot be reached");
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] args)
    {
        RootCommand root = new() { ResendCommand.Create() };
        using StringWriter output = new();
        using StringWriter errors = new();
        int exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = errors }, Sim.Ct);
        return (exitCode, output.ToString(), errors.ToString());
    }
}
