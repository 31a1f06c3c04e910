namespace Kobbopay.Simulator;

/// <summary>A network and currency pair enabled in an environment, with the asset's decimals.</summary>
/// <param name="Network">The network name, for example <c>ethereum</c>; matched case-insensitively.</param>
/// <param name="Currency">The currency code, for example <c>USDC</c>; matched case-insensitively.</param>
/// <param name="Decimals">How many decimal places the asset has (0 to 28); an amount with more is rejected with <c>amount_precision</c>.</param>
public sealed record SimulatorRail(string Network, string Currency, int Decimals);
