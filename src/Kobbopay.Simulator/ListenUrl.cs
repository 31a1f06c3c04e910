using System.Net;
using Microsoft.AspNetCore.Http;

namespace Kobbopay.Simulator;

/// <summary>
/// Reads an ASP.NET Core listen URL (<c>--urls</c>, <c>ASPNETCORE_URLS</c>) with ASP.NET Core's own parser
/// (<see cref="BindingAddress"/>), then keeps to what the simulator can do: one plain-http IP address or localhost.
/// </summary>
internal static class ListenUrl
{
    /// <summary>Parses one <c>http://host:port</c>; <c>localhost</c> is loopback, <c>+</c>, <c>*</c> and <c>0.0.0.0</c> every address.</summary>
    /// <param name="value">The value, for example <c>http://127.0.0.1:5099</c>.</param>
    /// <param name="address">The address to listen on.</param>
    /// <param name="port">The port (0 picks a free one).</param>
    /// <param name="problem">What is wrong with <paramref name="value"/>, when it cannot be used.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is usable.</returns>
    public static bool TryParse(string value, out IPAddress? address, out int port, out string? problem)
    {
        address = null;
        port = 0;
        string[] parts = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 1)
        {
            problem = $"give exactly one address (the simulator listens on one); '{value}' has {parts.Length}.";
            return false;
        }

        BindingAddress? binding;
        try
        {
            binding = BindingAddress.Parse(parts[0]);
        }
        catch (FormatException)
        {
            binding = null;
        }

        if (binding is null || !string.Equals(binding.Scheme, "http", StringComparison.OrdinalIgnoreCase) || binding.IsUnixPipe || binding.IsNamedPipe)
        {
            problem = $"'{parts[0]}' is not an http address such as http://127.0.0.1:5080 (the simulator serves plain http).";
            return false;
        }

        if (binding.PathBase.Length > 0)
        {
            problem = $"'{parts[0]}' has a path; give only scheme, host and port.";
            return false;
        }

        address = binding.Host switch
        {
            "+" or "*" => IPAddress.Any,
            _ when string.Equals(binding.Host, "localhost", StringComparison.OrdinalIgnoreCase) => IPAddress.Loopback,
            _ => IPAddress.TryParse(binding.Host.Trim('[', ']'), out IPAddress? ip) ? ip : null,
        };
        if (address is null)
        {
            problem = $"'{binding.Host}' is not an IP address nor localhost.";
            return false;
        }

        port = binding.Port;
        problem = null;
        return true;
    }
}
