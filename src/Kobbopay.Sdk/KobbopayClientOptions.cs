using Kobbopay.Contracts;
using Kobbopay.Sdk.Internal;
using Kobbopay.Sdk.Resilience;
using Kobbopay.Shared.Options;
using Microsoft.Extensions.Options;

namespace Kobbopay.Sdk;

/// <summary>
/// Settings of a <see cref="KobbopayClient"/>. Bound from configuration (section <c>Kobbopay</c> by
/// convention) and validated when the application starts; every failure names the setting.
/// </summary>
public sealed class KobbopayClientOptions
{
    /// <summary>Gets or sets the gateway's base address, from your environment's integration materials. HTTPS is required except for a loopback address (the simulator).</summary>
    /// <value>No default: required.</value>
    [GatewayAddress]
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Gets or sets the secret API key. It is sent only in the <see cref="ApiKeyHeaderName"/> header, and never appears in
    /// logs, exception messages or <see cref="ToString"/>. Registered with <c>AddKobbopayClient</c>, it follows
    /// configuration reloads: the next call carries the new key; an invalid one is refused with a warning and the last
    /// valid key stays.
    /// </summary>
    /// <value>No default: required.</value>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Gets or sets the environment this client is for: <c>NonProduction</c> or <c>Production</c> (in configuration, in
    /// any case). Any other value stops the start with a message listing these. A key of the other environment is refused
    /// at start, before any request.
    /// </summary>
    /// <value>Defaults to <see cref="KobbopayEnvironment.NonProduction"/>.</value>
    public KobbopayEnvironment Environment { get; set; } = KobbopayEnvironment.NonProduction;

    /// <summary>Gets or sets the name of the header that carries the API key.</summary>
    /// <value>Defaults to <c>x-api-key</c>.</value>
    [SettingPattern(@"^[A-Za-z0-9_-]+\z", "a header name of letters, digits, '-' or '_'")]
    public string ApiKeyHeaderName { get; set; } = KobbopayHeaders.ApiKey;

    /// <summary>Gets the rails enabled for this environment. When any are listed, a create for another pair fails before it is sent; when empty, the gateway decides.</summary>
    public IList<KobbopayRail> EnabledRails { get; } = [];

    /// <summary>Gets or sets the retry, timeout and circuit-breaker settings.</summary>
    [ValidateObjectMembers]
    public KobbopayResilienceOptions Resilience { get; set; } = new();

    /// <summary>Gets or sets the rank of each payment status, used by <see cref="KobbopayClient.WaitForPaymentAsync"/> to tell "at or beyond". Deployments may name statuses of their own: rank them here rather than letting the SDK guess.</summary>
    /// <value>Defaults to pending 0, paid 1, confirmed 2, expired 2.</value>
    public IDictionary<string, int> StatusRanks { get; } = new Dictionary<string, int>(KobbopayLifecycle.DefaultStatusRanks, StringComparer.Ordinal);

    /// <summary>Gets the statuses after which a payment never changes again.</summary>
    /// <value>Defaults to confirmed and expired.</value>
    public ISet<string> TerminalStatuses { get; } = new HashSet<string>(KobbopayLifecycle.DefaultTerminalStatuses, StringComparer.Ordinal);

    /// <summary>Returns a description of the settings with the API key redacted.</summary>
    /// <returns>The base address, environment and whether a key is set; never the key.</returns>
    public override string ToString() =>
        $"KobbopayClientOptions {{ BaseAddress = {BaseAddress}, Environment = {Environment}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(not set)" : "***")} }}";

    /// <summary>Copies every setting to <paramref name="target"/> (the rails, ranks and terminal statuses by value).</summary>
    internal void CopyTo(KobbopayClientOptions target)
    {
        target.BaseAddress = BaseAddress;
        target.ApiKey = ApiKey;
        target.Environment = Environment;
        target.ApiKeyHeaderName = ApiKeyHeaderName;
        target.Resilience = Resilience;
        target.EnabledRails.Clear();
        foreach (KobbopayRail rail in EnabledRails)
        {
            target.EnabledRails.Add(rail);
        }

        target.StatusRanks.Clear();
        foreach (KeyValuePair<string, int> rank in StatusRanks)
        {
            target.StatusRanks.Add(rank);
        }

        target.TerminalStatuses.Clear();
        target.TerminalStatuses.UnionWith(TerminalStatuses);
    }
}
