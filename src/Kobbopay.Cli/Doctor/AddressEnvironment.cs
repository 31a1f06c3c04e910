using System.Net;
using System.Net.Sockets;
using Kobbopay.Sdk;

namespace Kobbopay.Cli.Doctor;

/// <summary>
/// Tells which environment a base address reads as. Hostnames are issued per merchant environment, so this is a
/// reading, said as one: loopback, private networks and hosts with a non-production word in a label
/// (sandbox, test, staging, dev, qa, uat, sim…) read as non-production; any other host as production.
/// </summary>
internal static class AddressEnvironment
{
    private static readonly string[] NonProductionWords = ["sandbox", "test", "staging", "stage", "dev", "qa", "uat", "sim", "nonprod", "preprod", "demo"];

    /// <summary>Reads the environment of <paramref name="address"/>.</summary>
    /// <param name="address">The base address.</param>
    /// <param name="reason">Why it reads so, for the message.</param>
    /// <returns>The environment it reads as.</returns>
    public static KobbopayEnvironment Of(Uri address, out string reason)
    {
        if (address.IsLoopback)
        {
            reason = "a loopback address (the simulator)";
            return KobbopayEnvironment.NonProduction;
        }

        if (IPAddress.TryParse(address.Host, out IPAddress? ip))
        {
            reason = IsPrivate(ip) ? "a private network address" : "a public IP address";
            return IsPrivate(ip) ? KobbopayEnvironment.NonProduction : KobbopayEnvironment.Production;
        }

        foreach (string label in address.Host.Split('.', '-'))
        {
            if (NonProductionWords.FirstOrDefault(w => label.Contains(w, StringComparison.OrdinalIgnoreCase)) is { } word)
            {
                reason = $"a non-production host ('{word}' in {address.Host})";
                return KobbopayEnvironment.NonProduction;
            }
        }

        reason = $"a production host ({address.Host} has no sandbox/test/staging label)";
        return KobbopayEnvironment.Production;
    }

    private static bool IsPrivate(IPAddress ip)
    {
        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6UniqueLocal;
        }

        byte[] b = ip.GetAddressBytes();
        return b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254);
    }
}
