using System.CommandLine;
using Kobbopay.Simulator.Commands;

namespace Kobbopay.Simulator.Tests;

/// <summary><c>kobbopay-sim resend</c>, parsed and run in process against a simulator on loopback.</summary>
public sealed class ResendCommandTests
{
    [Fact]
    public async Task Resend_PrintsWhatWasSent_AndThe200_AndExitsZero()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync();
        var endpoint = sim.AddWebhookEndpoint(receiver.Url);
        var original = await DeliveredEventAsync(sim);

        var (exitCode, output, errors) = await RunAsync("resend", original.EventId, "--simulator", sim.Simulator.BaseAddress.ToString());

        exitCode.ShouldBe(0, errors);
        var resent = sim.Deliveries.Single(d => d.Id != original.Id);
        output.ShouldContain($"-> payment.created {original.EventId} to {receiver.Url} (delivery {resent.Id}, endpoint {endpoint.Id})");
        output.ShouldContain($"<- 200 in ");
        output.ShouldContain($"x-delivery-id {resent.Attempts[0].DeliveryAttemptId}");
        receiver.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Resend_ToAnotherUrl_AnsweredWith500_ExitsOne()
    {
        await using var registered = await WebhookReceiver.StartAsync();
        await using var other = await WebhookReceiver.StartAsync();
        other.Answer = WebhookSetup.Always(500);
        await using var sim = await SimulatorSession.StartAsync();
        sim.AddWebhookEndpoint(registered.Url);
        var original = await DeliveredEventAsync(sim);

        var (exitCode, output, _) = await RunAsync("resend", original.EventId, "--to", other.Url.ToString(), "--simulator", sim.Simulator.BaseAddress.ToString());

        exitCode.ShouldBe(1);
        output.ShouldContain($"to {other.Url} (delivery dlv_");
        output.ShouldContain("<- 500 in ");
        other.Requests.ShouldHaveSingleItem().Body.ShouldBe(registered.Requests.Single().Body);
    }

    [Theory]
    [InlineData("evt_unknown|--to|http://127.0.0.1:1/hook|--endpoint|we_x", "--to and --endpoint both say where to send it")]
    [InlineData("evt_unknown|--to|ftp://127.0.0.1/hook", "--to must be an absolute http or https address")]
    [InlineData("evt_unknown|--timeout|0", "--timeout must be")]
    [InlineData("evt_unknown", "404 event_not_found")]
    public async Task BadInput_ExitsTwo_NamingIt(string args, string message)
    {
        await using var sim = await SimulatorSession.StartAsync();

        var (exitCode, _, errors) = await RunAsync(["resend", .. args.Split('|'), "--simulator", sim.Simulator.BaseAddress.ToString()]);

        exitCode.ShouldBe(2);
        errors.ShouldContain(message);
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

    private static async Task<SimulatedDelivery> DeliveredEventAsync(SimulatorSession sim)
    {
        await sim.CreateWeekLongPaymentAsync();
        await sim.WhenWebhooksIdleAsync();
        return sim.Deliveries.Single();
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
