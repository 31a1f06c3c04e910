using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Kobbopay.Simulator.Internal;

/// <summary>The control API's admin token check: <c>Authorization: Bearer &lt;token&gt;</c>, compared in constant time.</summary>
internal static class AdminAccess
{
    public static bool IsAllowed(HttpRequest request, string? token)
    {
        if (token is null)
        {
            return true; // only a loopback simulator runs without one (checked at start)
        }

        string header = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] given = Encoding.UTF8.GetBytes(header[Bearer.Length..].Trim());
        byte[] expected = Encoding.UTF8.GetBytes(token);
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(given), SHA256.HashData(expected));
    }
}
