using System.Net;
using Microsoft.Extensions.Logging;
using Kobbopay.Contracts;

namespace Kobbopay.Simulator;

/// <summary>Settings of a simulator instance. Checked when the simulator starts; a bad value fails the start with a message naming it.</summary>
public sealed class KobbopaySimulatorOptions
{
    /// <summary>The API key of the default <c>test</c> environment, used when no environment is configured.</summary>
    public const string DefaultTestApiKey = "kp_test_sim_0000000000000000000000000000";

    /// <summary>Gets or sets the address to listen on.</summary>
    /// <value>Defaults to <see cref="IPAddress.Loopback"/>: the simulator has an unauthenticated control API and is not meant to be reachable from elsewhere.</value>
    public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary>
    /// Gets or sets the token the control API (<c>/_sim</c>) and WireMock's admin API (<c>/__admin</c>) require, as
    /// <c>Authorization: Bearer &lt;token&gt;</c>. Required when <see cref="ListenAddress"/> is not a loopback address: the
    /// control API pays, confirms and sets faults, the admin API adds stubs. Never logged, journaled nor shown.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: no token, which only a loopback address allows.</value>
    public string? AdminToken { get; set; }

    /// <summary>Gets or sets the TCP port to listen on; 0 picks a free one.</summary>
    /// <value>Defaults to 0.</value>
    public int Port { get; set; }

    /// <summary>Gets or sets how the simulator's clock moves.</summary>
    /// <value>Defaults to <see cref="SimulatorClockMode.Manual"/>.</value>
    public SimulatorClockMode ClockMode { get; set; } = SimulatorClockMode.Manual;

    /// <summary>Gets or sets the time the clock starts at.</summary>
    /// <value>Defaults to <see langword="null"/>: the current wall time, to the second.</value>
    public DateTimeOffset? ClockStart { get; set; }

    /// <summary>Gets the environments the simulator hosts. When empty, one non-production environment <c>test</c> with <see cref="DefaultTestApiKey"/> and <see cref="SimulatorEnvironmentOptions.DefaultRails"/>.</summary>
    public IList<SimulatorEnvironmentOptions> Environments { get; } = [];

    /// <summary>Gets or sets the name of the header that carries the API key.</summary>
    /// <value>Defaults to <c>x-api-key</c>.</value>
    public string ApiKeyHeaderName { get; set; } = KobbopayHeaders.ApiKey;

    /// <summary>Gets or sets the payment window used when a create names none.</summary>
    /// <value>Defaults to 15 minutes.</value>
    public TimeSpan DefaultPaymentWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets how many confirmations make a paid payment confirmed.</summary>
    /// <value>Defaults to 12.</value>
    public int RequiredConfirmations { get; set; } = 12;

    /// <summary>Gets or sets a value indicating whether a paid (not yet confirmed) payment may expire, as some deployments' policy says.</summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool AllowPaidToExpire { get; set; }

    /// <summary>Gets or sets the largest request body accepted, in bytes; a larger one is answered 413.</summary>
    /// <value>Defaults to 65536.</value>
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Gets or sets how long a successful create is remembered under its idempotency key, on the simulator's clock.</summary>
    /// <value>Defaults to 24 hours, the contract's minimum.</value>
    public TimeSpan IdempotencyKeyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Gets or sets how many received requests the request journal keeps (WireMock's <c>MaxRequestLogCount</c>; the one
    /// journal behind <see cref="KobbopaySimulator.Requests"/>, <c>GET /_sim/requests</c> and <c>GET /__admin/requests</c>);
    /// the oldest are dropped first, so memory stays flat under a long load run.
    /// </summary>
    /// <value>Defaults to 10000.</value>
    public int RecordedRequestCapacity { get; set; } = 10_000;

    /// <summary>
    /// Gets or sets a folder of WireMock mapping files (<c>*.json</c>) loaded at start (<c>--mappings</c>), so a QA team
    /// keeps its stubs (last week's incident, a slow answer for one payment) in its own repository; <see langword="null"/>
    /// for none. A file that cannot be read stops the start with its name. A mapping without a priority (WireMock's
    /// default, 0) overrides the lifecycle route it matches, which sit at 1,000.
    /// </summary>
    public string? MappingsDirectory { get; set; }

    /// <summary>
    /// Gets or sets another gateway to forward the <c>/v1</c> API to (<c>--proxy-to</c>), with WireMock's
    /// proxy-and-record; <see langword="null"/> (the default) to answer from the simulator's lifecycle. Stubs and
    /// injected faults still come first; the control API stays local. The API key is forwarded as sent, so the request
    /// journal holds it in this mode: use a test key.
    /// </summary>
    public Uri? ProxyTo { get; set; }

    /// <summary>Gets or sets a value indicating whether answers proxied to <see cref="ProxyTo"/> are kept as stubs (<c>--record</c>), so the same request is answered from the recording afterwards.</summary>
    public bool RecordProxiedAnswers { get; set; }

    /// <summary>Gets or sets the fault injection the simulator starts with.</summary>
    /// <value>Defaults to <see cref="SimulatorFaultOptions.None"/>.</value>
    public SimulatorFaultOptions Faults { get; set; } = SimulatorFaultOptions.None;

    /// <summary>Gets the webhook endpoints registered at start (more can be added through the control API).</summary>
    public IList<SimulatorWebhookEndpointOptions> WebhookEndpoints { get; } = [];

    /// <summary>Gets or sets the webhook delivery faults the simulator starts with.</summary>
    /// <value>Defaults to <see cref="SimulatorWebhookFaultOptions.None"/>.</value>
    public SimulatorWebhookFaultOptions WebhookFaults { get; set; } = SimulatorWebhookFaultOptions.None;

    /// <summary>Gets the delays between delivery attempts, on the simulator's clock; when they run out the delivery is marked failed.</summary>
    /// <value>Defaults to the contract's schedule: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h.</value>
    public IList<TimeSpan> WebhookRetrySchedule { get; } = [.. KobbopayWebhookSchedule.DefaultRetryDelays];

    /// <summary>Gets or sets how long a delivery attempt may take, in real time, before it counts as failed.</summary>
    /// <value>Defaults to 10 seconds, as the contract says.</value>
    public TimeSpan WebhookAttemptTimeout { get; set; } = KobbopayWebhookSchedule.AttemptTimeout;

    /// <summary>Gets or sets how the simulated chain moves payments by itself.</summary>
    public SimulatorChainOptions Chain { get; set; } = new();

    /// <summary>Gets or sets a callback that configures the simulator's logging.</summary>
    /// <value>Defaults to <see langword="null"/>: the simulator logs nothing.</value>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }

    /// <summary>Gets or sets the wall clock that <see cref="SimulatorClockMode.Wall"/> follows.</summary>
    /// <value>Defaults to <see cref="TimeProvider.System"/>.</value>
    public TimeProvider WallClock { get; set; } = TimeProvider.System;

    internal IReadOnlyList<SimulatorEnvironmentOptions> EffectiveEnvironments()
    {
        if (Environments.Count > 0)
        {
            return [.. Environments];
        }

        SimulatorEnvironmentOptions test = new() { Name = "test" };
        test.ApiKeys.Add(DefaultTestApiKey);
        return [test];
    }

    /// <summary>
    /// Says why a webhook endpoint's environment names no hosted environment (deliveries go to an endpoint by the name of
    /// the payment's environment: <c>test</c> unless <see cref="Environments"/> says otherwise), or returns
    /// <see langword="null"/> when it is hosted or left out (every environment).
    /// </summary>
    /// <param name="setting">The setting or body field, for the message.</param>
    /// <param name="environment">The environment named.</param>
    internal string? UnhostedEnvironment(string setting, string? environment)
    {
        IReadOnlyList<SimulatorEnvironmentOptions> hosted = EffectiveEnvironments();
        return environment is null || hosted.Any(e => string.Equals(e.Name, environment, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"{setting} must be one of {string.Join(", ", hosted.Select(e => e.Name))} (the name of a hosted environment), or left out for every environment; it is '{environment}'.";
    }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(ListenAddress, nameof(ListenAddress));
        Require(Port is >= 0 and <= 65535, $"{nameof(Port)} must be between 0 and 65535; it is {Port}.");
        Require(
            IPAddress.IsLoopback(ListenAddress) || !string.IsNullOrWhiteSpace(AdminToken),
            $"{nameof(AdminToken)} (--admin-token) is required to listen on {ListenAddress}, which is not a loopback address: the control API (/_sim) pays, confirms and sets faults and the admin API (/__admin) adds stubs, so anything that can reach them must prove it may.");
        Require(AdminToken is null || (AdminToken.Length >= 16 && AdminToken.All(c => c is > ' ' and <= '~')), $"{nameof(AdminToken)} (--admin-token) must be at least 16 printable ASCII characters without spaces.");
        Require(!string.IsNullOrWhiteSpace(ApiKeyHeaderName), $"{nameof(ApiKeyHeaderName)} must be set.");
        Require(DefaultPaymentWindow >= TimeSpan.FromSeconds(60) && DefaultPaymentWindow <= TimeSpan.FromDays(7), $"{nameof(DefaultPaymentWindow)} must be between 60 seconds and 7 days; it is {DefaultPaymentWindow}.");
        Require(RequiredConfirmations is >= 1 and <= 10_000, $"{nameof(RequiredConfirmations)} must be between 1 and 10000; it is {RequiredConfirmations}.");
        Require(MaxRequestBodyBytes is >= 1024 and <= 16 * 1024 * 1024, $"{nameof(MaxRequestBodyBytes)} must be between 1024 and 16777216; it is {MaxRequestBodyBytes}.");
        Require(IdempotencyKeyRetention >= TimeSpan.FromHours(24), $"{nameof(IdempotencyKeyRetention)} must be at least 24 hours (the contract's minimum); it is {IdempotencyKeyRetention}.");
        Require(RecordedRequestCapacity is >= 0 and <= 10_000_000, $"{nameof(RecordedRequestCapacity)} must be between 0 and 10000000; it is {RecordedRequestCapacity}.");
        Require(MappingsDirectory is null || MappingsDirectory.Trim().Length > 0, $"{nameof(MappingsDirectory)} (--mappings) must name a folder when set.");
        Require(ProxyTo is null || (ProxyTo.IsAbsoluteUri && (ProxyTo.Scheme == Uri.UriSchemeHttp || ProxyTo.Scheme == Uri.UriSchemeHttps)), $"{nameof(ProxyTo)} (--proxy-to) must be an absolute http or https address.");
        Require(!RecordProxiedAnswers || ProxyTo is not null, $"{nameof(RecordProxiedAnswers)} (--record) needs {nameof(ProxyTo)} (--proxy-to).");
        ArgumentNullException.ThrowIfNull(Faults, nameof(Faults));
        ArgumentNullException.ThrowIfNull(WallClock, nameof(WallClock));
        Faults.Validate();
        ArgumentNullException.ThrowIfNull(WebhookFaults, nameof(WebhookFaults));
        WebhookFaults.Validate();
        ArgumentNullException.ThrowIfNull(Chain, nameof(Chain));
        Require(WebhookAttemptTimeout > TimeSpan.Zero && WebhookAttemptTimeout <= TimeSpan.FromMinutes(5), $"{nameof(WebhookAttemptTimeout)} must be positive and at most 5 minutes; it is {WebhookAttemptTimeout}.");
        Require(WebhookRetrySchedule.All(d => d >= TimeSpan.Zero), $"{nameof(WebhookRetrySchedule)} delays must not be negative.");
        Require(Chain.PayAfter is null || Chain.PayAfter >= TimeSpan.Zero, "Chain.PayAfter must not be negative.");
        Require(Chain.BlockInterval > TimeSpan.Zero, "Chain.BlockInterval must be positive.");
        for (int i = 0; i < WebhookEndpoints.Count; i++)
        {
            SimulatorWebhookEndpointOptions e = WebhookEndpoints[i];
            Require(e?.Url is { IsAbsoluteUri: true } u && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps), $"WebhookEndpoints[{i}].Url must be an absolute http or https address.");
            Require(e!.Scheme is "hmac-sha256-hex" or "standard-webhooks", $"WebhookEndpoints[{i}].Scheme must be hmac-sha256-hex or standard-webhooks.");
            string? environment = UnhostedEnvironment($"WebhookEndpoints[{i}].Environment", e.Environment);
            Require(environment is null, environment!);
        }

        HashSet<string> names = new(StringComparer.OrdinalIgnoreCase);
        HashSet<string> keys = new(StringComparer.Ordinal);
        foreach (SimulatorEnvironmentOptions env in EffectiveEnvironments())
        {
            Require(!string.IsNullOrWhiteSpace(env.Name), "Every environment needs a Name.");
            Require(names.Add(env.Name), $"Environment name '{env.Name}' is used twice.");
            Require(env.ApiKeys.Count > 0, $"Environment '{env.Name}' has no ApiKeys.");
            string prefix = env.IsProduction ? KobbopayPrefixes.LiveApiKey : KobbopayPrefixes.TestApiKey;
            for (int i = 0; i < env.ApiKeys.Count; i++)
            {
                string key = env.ApiKeys[i];
                // The key itself is a secret: messages name its position, never its value.
                Require(!string.IsNullOrEmpty(key) && key.StartsWith(prefix, StringComparison.Ordinal) && key.Length > prefix.Length,
                    $"Environment '{env.Name}' ApiKeys[{i}] must start with '{prefix}' ({(env.IsProduction ? "production" : "non-production")} environment).");
                Require(key.All(c => c is > ' ' and < (char)127), $"Environment '{env.Name}' ApiKeys[{i}] must be printable ASCII without spaces.");
                Require(keys.Add(key), $"Environment '{env.Name}' ApiKeys[{i}] is configured more than once.");
            }

            HashSet<(string, string)> rails = [];
            foreach (SimulatorRail rail in env.Rails.Count > 0 ? (IEnumerable<SimulatorRail>)env.Rails : SimulatorEnvironmentOptions.DefaultRails)
            {
                Require(rail is not null && !string.IsNullOrWhiteSpace(rail.Network) && rail.Network.Length <= 64, $"Environment '{env.Name}' has a rail with an empty or over-long Network.");
                Require(!string.IsNullOrWhiteSpace(rail!.Currency) && rail.Currency.Length <= 16, $"Environment '{env.Name}' has a rail with an empty or over-long Currency.");
                Require(rail.Decimals is >= 0 and <= 28, $"Environment '{env.Name}' rail {rail.Network}/{rail.Currency} must have Decimals between 0 and 28; it has {rail.Decimals}.");
                Require(rails.Add((rail.Network.ToUpperInvariant(), rail.Currency.ToUpperInvariant())), $"Environment '{env.Name}' lists rail {rail.Network}/{rail.Currency} twice.");
            }
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException("Invalid simulator options: " + message);
        }
    }
}
