namespace Kobbopay.Sdk;

/// <summary>A network and currency pair enabled for the merchant's environment.</summary>
/// <param name="Network">The network, for example <c>ethereum</c>; compared case-insensitively.</param>
/// <param name="Currency">The currency, for example <c>USDC</c>; compared case-insensitively.</param>
/// <param name="Decimals">The asset's decimal places, when known; an amount with more is refused before sending.</param>
public sealed record KobbopayRail(string Network, string Currency, int? Decimals = null);
