using Kobbopay.Sdk.Resilience;
using Kobbopay.Contracts;

namespace Kobbopay.Sdk;

/// <summary>
/// Settings of a <see cref="KobbopayClient"/>. Bound from configuration (section <c>Kobbopay</c> by
/// convention) and validated when the application starts; every failure names the setting.
/// </summary>
public sealed class KobbopayClientOptions
{
    /// <summary>Gets or sets the gateway's base address, from your environment's integration materials. HTTPS is required except for a loopback address (the simulator).</summary>
    /// <value>No default: required.</value>
    public Uri? BaseAddress { get; set; }

    /// <summary>Gets or sets the secret API key. It is sent only in the <see cref="ApiKeyHeaderName"/> header, and never appears in logs, exception messages or <see cref="ToString"/>.</summary>
    /// <value>No default: required.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the environment this client is for. A key of the other environment is refused at start, before any request.</summary>
    /// <value>Defaults to <see cref="KobbopayEnvironment.NonProduction"/>.</value>
    public KobbopayEnvironment Environment { get; set; } = KobbopayEnvironment.NonProduction;

    /// <summary>Gets or sets the name of the header that carries the API key.</summary>
    /// <value>Defaults to <c>x-api-key</c>.</value>
    public string ApiKeyHeaderName { get; set; } = KobbopayHeaders.ApiKey;

    /// <summary>Gets the rails enabled for this environment. When any are listed, a create for another pair fails before it is sent; when empty, the gateway decides.</summary>
    public IList<KobbopayRail> EnabledRails { get; } = [];

    /// <summary>Gets or sets the retry, timeout and circuit-breaker settings.</summary>
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

    /// <summary>Checks the settings; yields one message per problem, each naming its setting under <paramref name="section"/>.</summary>
    internal IEnumerable<string> Validate(string section)
    {
        if (BaseAddress is null)
        {
            yield return $"{section}:BaseAddress is required: the gateway address from your environment's integration materials.";
        }
        else if (!BaseAddress.IsAbsoluteUri)
        {
            yield return $"{section}:BaseAddress must be an absolute URI.";
        }
        else if (BaseAddress.Scheme != Uri.UriSchemeHttps && !(BaseAddress.Scheme == Uri.UriSchemeHttp && BaseAddress.IsLoopback))
        {
            yield return $"{section}:BaseAddress must use https (plain http is allowed only for a loopback address such as the simulator); it is {BaseAddress.GetLeftPart(UriPartial.Authority)}.";
        }

        string expected = Environment == KobbopayEnvironment.Production ? KobbopayPrefixes.LiveApiKey : KobbopayPrefixes.TestApiKey;
        string other = Environment == KobbopayEnvironment.Production ? KobbopayPrefixes.TestApiKey : KobbopayPrefixes.LiveApiKey;
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return $"{section}:ApiKey is required: a {expected}… key for the {Environment} environment.";
        }
        else if (ApiKey.StartsWith(other, StringComparison.Ordinal))
        {
            yield return $"{section}:ApiKey is a key of the other environment ({other}…) but {section}:Environment is {Environment}; a {Environment} client needs a {expected}… key.";
        }
        else if (!ApiKey.StartsWith(expected, StringComparison.Ordinal) || ApiKey.Length == expected.Length)
        {
            yield return $"{section}:ApiKey must start with {expected} for the {Environment} environment.";
        }
        else if (ApiKey.Any(c => c is <= ' ' or >= (char)127))
        {
            yield return $"{section}:ApiKey must be printable ASCII without spaces.";
        }

        if (string.IsNullOrWhiteSpace(ApiKeyHeaderName) || !ApiKeyHeaderName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            yield return $"{section}:ApiKeyHeaderName must be a header name of letters, digits, '-' or '_'.";
        }

        for (int i = 0; i < EnabledRails.Count; i++)
        {
            KobbopayRail? rail = EnabledRails[i];
            if (rail is null || string.IsNullOrWhiteSpace(rail.Network) || string.IsNullOrWhiteSpace(rail.Currency))
            {
                yield return $"{section}:EnabledRails:{i} needs a Network and a Currency.";
            }
            else if (rail.Decimals is < 0 or > 28)
            {
                yield return $"{section}:EnabledRails:{i} Decimals must be between 0 and 28.";
            }
        }

        if (Resilience is null)
        {
            yield return $"{section}:Resilience must not be null.";
        }
        else
        {
            foreach (string message in Resilience.Validate(section + ":Resilience"))
            {
                yield return message;
            }
        }
    }
}
