using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Kobbopay.Simulator;
using Kobbopay.Simulator.Internal.Configuration;
using Microsoft.Extensions.Logging;

// kobbopay-sim: the simulator as a program. Everything it does is KobbopaySimulator.StartAsync.
// The live console's log category: a line per API request and delivery attempt, on at Information unless --quiet.
const string ConsoleCategory = "Kobbopay.Simulator.Console";
Option<int> port = new("--port") { Description = "TCP port to listen on (0 picks a free one).", DefaultValueFactory = _ => 5080 };
Option<string> listen = new("--listen") { Description = "Address to listen on. Any address but loopback needs --admin-token.", DefaultValueFactory = _ => "127.0.0.1" };
Option<string?> adminToken = new("--admin-token") { Description = "Token the control API (/_sim) and the admin API (/__admin) require as 'Authorization: Bearer <token>'; required off loopback (or KOBBOPAY_SIM_ADMIN_TOKEN)." };
Option<SimulatorClockMode> clock = new("--clock") { Description = "wall: follow wall time; manual: stand still until POST /_sim/clock/advance.", DefaultValueFactory = _ => SimulatorClockMode.Wall };
Option<string?> apiKey = new("--api-key") { Description = "The test environment's API key (kp_test_…). Defaults to " + KobbopaySimulatorOptions.DefaultTestApiKey + "." };
Option<bool> paidCanExpire = new("--allow-paid-to-expire") { Description = "Let a paid, unconfirmed payment expire, as some deployments' policy does." };
Option<int> seed = new("--seed") { Description = "Seed of the fault generator; the same seed replays the same faults." };
Option<double> internalErrors = new("--internal-error-rate") { Description = "Share of API requests answered 500 (0-1)." };
Option<double> unavailable = new("--unavailable-rate") { Description = "Share of API requests answered 503 (0-1)." };
Option<double> rateLimited = new("--rate-limit-rate") { Description = "Share of API requests answered 429 with Retry-After (0-1)." };
Option<int> retryAfter = new("--retry-after") { Description = "Retry-After seconds on injected 429s.", DefaultValueFactory = _ => 1 };
Option<double> drops = new("--drop-connection-rate") { Description = "Share of API requests whose connection is dropped before processing (0-1)." };
Option<double> losses = new("--response-loss-rate") { Description = "Share of API requests processed and then dropped, answer lost (0-1)." };
Option<double> latencyRate = new("--latency-rate") { Description = "Share of API requests delayed (0-1)." };
Option<int> latencyMs = new("--latency-ms") { Description = "Delay added to a delayed request, in milliseconds." };
Option<string[]> webhookUrls = new("--webhook-url") { Description = "A webhook endpoint to deliver every event to (repeatable).", AllowMultipleArgumentsPerToken = false };
Option<string?> webhookSecret = new("--webhook-secret") { Description = "The signing secret for --webhook-url endpoints (generated and printed when left out)." };
Option<string> webhookScheme = new("--webhook-scheme") { Description = "hmac-sha256-hex or standard-webhooks.", DefaultValueFactory = _ => "hmac-sha256-hex" };
Option<int?> autoPayAfter = new("--auto-pay-after") { Description = "Seconds after creation when the simulated payer pays in full (off when left out)." };
Option<bool> autoConfirm = new("--auto-confirm") { Description = "Confirm paid payments by themselves after the required confirmations." };
Option<int> blockInterval = new("--block-interval") { Description = "Seconds between simulated blocks.", DefaultValueFactory = _ => 15 };
Option<string?> urls = new("--urls") { Description = "Where to listen, ASP.NET Core style (http://127.0.0.1:5080); ASPNETCORE_URLS is read too. One http address; instead of --listen/--port." };
Option<double> webhookDuplicates = new("--webhook-duplicate-rate") { Description = "Share of webhook attempts sent twice (0-1)." };
Option<double> webhookDropFirst = new("--webhook-drop-first-rate") { Description = "Share of webhook deliveries whose first attempt is dropped (0-1)." };
Option<double> webhookReorder = new("--webhook-reorder-rate") { Description = "Share of webhook attempts held back so later events overtake them (0-1)." };
Option<string?> mappings = new("--mappings") { Description = "A folder of WireMock mapping files (*.json) to load at start: QA stubs kept in your own repository." };
Option<string?> proxyTo = new("--proxy-to") { Description = "Forward the /v1 API to another gateway (WireMock proxy-and-record); stubs and faults still come first, /_sim stays local." };
Option<bool> record = new("--record") { Description = "With --proxy-to: keep each proxied answer as a stub, replayed for the same request afterwards." };
Option<int> journal = new("--journal-size") { Description = "How many requests the journal (/__admin/requests, /_sim/requests) keeps; the oldest go first.", DefaultValueFactory = _ => 10_000 };
Option<string?> configFile = new("--config") { Description = "A JSON file of settings (section Kobbopay:Simulator, as docs/kobbopay-sim.example.json); read after appsettings.json and appsettings.{DOTNET_ENVIRONMENT}.json, before environment variables (Kobbopay__Simulator__…) and flags." };
Option<bool> quiet = new("--quiet") { Description = "No live console: leave out the line per API request and delivery attempt (category Kobbopay.Simulator.Console)." };

RootCommand root = new("Kobbopay simulator: the payment API, a lifecycle engine on a virtual clock, fault injection and a control API under /_sim.")
{
    port, listen, clock, apiKey, paidCanExpire, seed, internalErrors, unavailable, rateLimited, retryAfter, drops, losses, latencyRate, latencyMs,
    webhookUrls, webhookSecret, webhookScheme, autoPayAfter, autoConfirm, blockInterval, urls, webhookDuplicates, webhookDropFirst, webhookReorder, adminToken,
    mappings, proxyTo, record, journal, configFile, quiet,
};
root.Subcommands.Add(Kobbopay.Simulator.Commands.TriggerCommand.Create());
root.Subcommands.Add(Kobbopay.Simulator.Commands.RunCommand.Create());
root.Subcommands.Add(Kobbopay.Simulator.Commands.ResendCommand.Create());

root.SetAction(async (parse, cancellationToken) =>
{
    // Settings: appsettings.json, appsettings.{DOTNET_ENVIRONMENT}.json, --config, environment variables, then the flags given.
    if (SimulatorConfiguration.Load(parse.GetValue(configFile), Environment.CurrentDirectory, out string? configError) is not { } configuration)
    {
        Console.Error.WriteLine(configError);
        return 2;
    }

    SimulatorSettings settings = configuration.Settings;
    SettingResolver pick = new(parse, configuration);

    // Where to listen: --listen/--port, or --urls, or the configuration, or ASPNETCORE_URLS (in that order); never two of them at once.
    bool explicitListen = pick.Given(listen) || pick.Given(port);
    string? urlsValue = parse.GetValue(urls);
    string urlsSource = "--urls";
    if (urlsValue is null && !explicitListen && settings.ListenAddress is null && settings.Port is null && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is { Length: > 0 } fromEnvironment)
    {
        urlsValue = fromEnvironment;
        urlsSource = "ASPNETCORE_URLS";
    }

    // Read here; the host must not also apply it (Kestrel would warn that it overrides it).
    Environment.SetEnvironmentVariable("ASPNETCORE_URLS", null);

    IPAddress? address;
    int listenPort = pick.Pick(port, settings.Port, nameof(settings.Port));
    string listenText = pick.Pick(listen!, settings.ListenAddress, nameof(settings.ListenAddress))!;
    if (urlsValue is not null)
    {
        if (explicitListen)
        {
            Console.Error.WriteLine("--urls and --listen/--port both say where to listen: pass one of them.");
            return 2;
        }

        if (!ListenUrl.TryParse(urlsValue, out address, out listenPort, out string? problem))
        {
            Console.Error.WriteLine($"{urlsSource}: {problem}");
            return 2;
        }
    }
    else if (!IPAddress.TryParse(listenText, out address))
    {
        Console.Error.WriteLine($"{pick.NameOf(nameof(settings.ListenAddress))} must be an IP address; '{listenText}' is not.");
        return 2;
    }

    // A string option, parsed here: System.CommandLine 2.0.0 has no Uri parser (an Option<Uri?> threw on any value).
    string? proxyText = pick.Pick(proxyTo, settings.ProxyTo, nameof(settings.ProxyTo));
    Uri? proxy = null;
    if (proxyText is not null && !Uri.TryCreate(proxyText, UriKind.Absolute, out proxy))
    {
        Console.Error.WriteLine($"{pick.NameOf(nameof(settings.ProxyTo))} must be an absolute http or https address; '{proxyText}' is not.");
        return 2;
    }

    KobbopaySimulatorOptions options = new()
    {
        Port = listenPort,
        ListenAddress = address!, // set by one of the branches above
        ClockMode = pick.Pick(clock, settings.Clock, nameof(settings.Clock)),
        AdminToken = parse.GetValue(adminToken) ?? (Environment.GetEnvironmentVariable("KOBBOPAY_SIM_ADMIN_TOKEN") is { Length: > 0 } envToken ? envToken : settings.AdminToken),
        AllowPaidToExpire = pick.Pick(paidCanExpire, settings.AllowPaidToExpire, nameof(settings.AllowPaidToExpire)),
        MappingsDirectory = pick.Pick(mappings, settings.Mappings, nameof(settings.Mappings)),
        ProxyTo = proxy,
        RecordProxiedAnswers = pick.Pick(record, settings.Record, nameof(settings.Record)),
        RecordedRequestCapacity = pick.Pick(journal, settings.JournalSize, nameof(settings.JournalSize)),
        ConfigureLogging = logging =>
        {
            // Warnings by default, the live console (a line per API request and delivery attempt) at Information; then
            // Logging:LogLevel from the configuration; --quiet last, as flags win.
            logging
                .AddSimpleConsole(console =>
                {
                    console.SingleLine = true;
                    console.TimestampFormat = "HH:mm:ss ";
                })
                .SetMinimumLevel(LogLevel.Warning)
                .AddFilter(ConsoleCategory, LogLevel.Information)
                .AddConfiguration(configuration.Root.GetSection("Logging"));
            if (parse.GetValue(quiet))
            {
                logging.AddFilter(ConsoleCategory, LogLevel.None);
            }

            logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None); // start failures are reported below, once
        },
    };

    int? payAfterSeconds = pick.PickOptional(autoPayAfter, settings.Chain.AutoPayAfterSeconds, "Chain:" + nameof(settings.Chain.AutoPayAfterSeconds));
    options.Chain = new SimulatorChainOptions
    {
        PayAfter = payAfterSeconds is { } payAfter ? TimeSpan.FromSeconds(payAfter) : null,
        AutoConfirm = pick.Pick(autoConfirm, settings.Chain.AutoConfirm, "Chain:" + nameof(settings.Chain.AutoConfirm)),
        BlockInterval = TimeSpan.FromSeconds(Math.Max(1, pick.Pick(blockInterval, settings.Chain.BlockIntervalSeconds, "Chain:" + nameof(settings.Chain.BlockIntervalSeconds)))),
    };

    // Endpoints: those configured, then each --webhook-url.
    for (int i = 0; i < settings.WebhookEndpoints.Count; i++)
    {
        SimulatorEndpointSettings configured = settings.WebhookEndpoints[i];
        string key = $"{SimulatorSettings.Section}:WebhookEndpoints:{i}:Url";
        if (!Uri.TryCreate(configured.Url, UriKind.Absolute, out Uri? endpoint))
        {
            Console.Error.WriteLine($"{key} ({configuration.SourceOf(key)}) must be an absolute http or https address; '{configured.Url}' is not.");
            return 2;
        }

        options.WebhookEndpoints.Add(new SimulatorWebhookEndpointOptions { Url = endpoint, Secret = configured.Secret, Scheme = configured.Scheme ?? "hmac-sha256-hex" });
    }

    foreach (string url in parse.GetValue(webhookUrls) ?? [])
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? endpoint))
        {
            Console.Error.WriteLine($"--webhook-url must be an absolute http or https address; '{url}' is not.");
            return 2;
        }

        options.WebhookEndpoints.Add(new SimulatorWebhookEndpointOptions { Url = endpoint, Secret = parse.GetValue(webhookSecret), Scheme = parse.GetValue(webhookScheme)! });
    }

    SimulatorEnvironmentOptions test = new() { Name = "test" };
    test.ApiKeys.Add(pick.Pick(apiKey, settings.ApiKey, nameof(settings.ApiKey)) ?? KobbopaySimulatorOptions.DefaultTestApiKey);
    options.Environments.Add(test);

    KobbopaySimulator simulator;
    try
    {
        SimulatorFaultSettings faults = settings.Faults;
        int faultSeed = pick.Pick(seed, faults.Seed, "Faults:" + nameof(faults.Seed));
        options.Faults = new SimulatorFaultOptions
        {
            Seed = faultSeed,
            InternalErrorRate = pick.Pick(internalErrors, faults.InternalErrorRate, "Faults:" + nameof(faults.InternalErrorRate)),
            UnavailableRate = pick.Pick(unavailable, faults.UnavailableRate, "Faults:" + nameof(faults.UnavailableRate)),
            RateLimitRate = pick.Pick(rateLimited, faults.RateLimitRate, "Faults:" + nameof(faults.RateLimitRate)),
            RetryAfterSeconds = pick.Pick(retryAfter, faults.RetryAfterSeconds, "Faults:" + nameof(faults.RetryAfterSeconds)),
            DropConnectionRate = pick.Pick(drops, faults.DropConnectionRate, "Faults:" + nameof(faults.DropConnectionRate)),
            ResponseLossRate = pick.Pick(losses, faults.ResponseLossRate, "Faults:" + nameof(faults.ResponseLossRate)),
            LatencyRate = pick.Pick(latencyRate, faults.LatencyRate, "Faults:" + nameof(faults.LatencyRate)),
            LatencyMilliseconds = pick.Pick(latencyMs, faults.LatencyMilliseconds, "Faults:" + nameof(faults.LatencyMilliseconds)),
        };
        SimulatorWebhookFaultSettings hookFaults = settings.WebhookFaults;
        options.WebhookFaults = new SimulatorWebhookFaultOptions
        {
            Seed = faultSeed, // one seed replays both the API's and the deliveries' faults
            DuplicateRate = pick.Pick(webhookDuplicates, hookFaults.DuplicateRate, "WebhookFaults:" + nameof(hookFaults.DuplicateRate)),
            DropFirstAttemptRate = pick.Pick(webhookDropFirst, hookFaults.DropFirstAttemptRate, "WebhookFaults:" + nameof(hookFaults.DropFirstAttemptRate)),
            ReorderRate = pick.Pick(webhookReorder, hookFaults.ReorderRate, "WebhookFaults:" + nameof(hookFaults.ReorderRate)),
        };
        simulator = await KobbopaySimulator.StartAsync(options, cancellationToken);
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine(pick.Describe(ex));
        return 2;
    }
    catch (SimulatorException ex)
    {
        // The port is taken, or a mapping file is bad: the message says which.
        Console.Error.WriteLine(ex.Message);
        return 3;
    }

    await using (simulator)
    {
        Console.WriteLine($"Kobbopay simulator listening on {simulator.BaseAddress}");
        Console.WriteLine($"  config       {configuration.Sources}");
        Console.WriteLine($"  clock        {simulator.Clock}");
        Console.WriteLine($"  environment  test (non-production), API key {simulator.TestApiKey}");
        Console.WriteLine("  rails        " + string.Join(", ", SimulatorEnvironmentOptions.DefaultRails.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Network}/{r.Currency} ({r.Decimals} decimals)"))));
        foreach (SimulatedWebhookEndpoint endpoint in simulator.WebhookEndpoints)
        {
            Console.WriteLine($"  webhooks     {endpoint.Url} ({endpoint.Scheme}, secret {endpoint.Secret})");
        }

        Console.WriteLine("  API faults   " + Describe(simulator.Faults));
        Console.WriteLine("  hook faults  " + Describe(simulator.WebhookFaults));
        Console.WriteLine($"  OpenAPI      {simulator.BaseAddress}openapi/v1.json");
        Console.WriteLine($"  control API  {simulator.BaseAddress}_sim/{(options.AdminToken is null ? string.Empty : " (admin token required)")}");
        Console.WriteLine($"  admin API    {simulator.BaseAddress}__admin/mappings, __admin/requests (WireMock; journal keeps {options.RecordedRequestCapacity}){(options.AdminToken is null ? string.Empty : " (admin token required)")}");
        int stubs = simulator.Server.Mappings.Count(m => !m.IsAdminInterface && !(m.Title ?? string.Empty).StartsWith("Kobbopay", StringComparison.Ordinal));
        if (options.MappingsDirectory is not null)
        {
            Console.WriteLine($"  mappings     {stubs} stub(s) from {Path.GetFullPath(options.MappingsDirectory)}");
        }

        if (options.ProxyTo is not null)
        {
            Console.WriteLine($"  proxy        /v1 forwarded to {options.ProxyTo}{(options.RecordProxiedAnswers ? ", answers recorded as stubs" : string.Empty)}");
        }

        if (!IPAddress.IsLoopback(options.ListenAddress))
        {
            Console.WriteLine($"  warning      listening on {options.ListenAddress}: reachable from other machines; the control and admin APIs require the admin token.");
        }
        Console.WriteLine("Press Ctrl+C to stop.");

        // Ctrl+C, and SIGTERM from a service manager or `docker stop`: stop as asked, so the simulator is disposed and
        // the live console's last lines are written (without these the runtime ended the process on either signal).
        using CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using PosixSignalRegistration onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopOn);
        using PosixSignalRegistration onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopOn);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("Stopping.");
        }

        void StopOn(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }
    }

    return 0;
});

ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // Exit 2 for a command line that does not parse, as for every other bad input (System.CommandLine's default is 1,
    // which `run`, `trigger` and `resend` keep for "an expectation or an endpoint failed").
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }

    Console.Error.WriteLine($"'{parsed.RootCommandResult.Command.Name} --help' lists the commands and options.");
    return 2;
}

return await parsed.InvokeAsync();

static string Describe(object faults) => faults switch
{
    SimulatorFaultOptions api when api with { Seed = 0 } == SimulatorFaultOptions.None => "none",
    SimulatorWebhookFaultOptions hooks when hooks with { Seed = 0 } == SimulatorWebhookFaultOptions.None => "none",

    // The record's own text without its type name: "{ Seed = 7, InternalErrorRate = 0.1, ... }".
    _ => faults.ToString() is { } text && text.IndexOf('{', StringComparison.Ordinal) is var brace and >= 0 ? text[brace..] : faults.ToString() ?? string.Empty,
};

// Internal on purpose. ASP.NET Core 10 makes a top-level Program public (for WebApplicationFactory<Program>) unless the
// project declares it; a public global Program in the Kobbopay.Simulator package would clash (CS0433) with the
// Program of every merchant app whose tests reference the package and use WebApplicationFactory<Program>.
internal partial class Program;
