using System.Text.Json;
using Kobbopay.Reconciliation;
using Kobbopay.Sdk;

namespace Kobbopay.Cli.Reconcile;

/// <summary>Reads a <see cref="StatusMapFile"/> into an <see cref="OrderStatusMapping"/>; every problem is an <see cref="InvalidDataException"/> naming the file and the key.</summary>
internal static class StatusMapReader
{
    private const string Shape = """{"version":"shop-2026-11","statuses":{"awaiting":"pending","paid":"paid",…}}""";

    /// <summary>Reads the mapping in <paramref name="path"/>.</summary>
    /// <param name="path">The map file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The mapping.</returns>
    /// <exception cref="InvalidDataException">The file cannot be read, is not JSON of the map's shape, or maps to a status the gateway does not have.</exception>
    public static async Task<OrderStatusMapping> ReadAsync(string path, CancellationToken cancellationToken)
    {
        StatusMapFile? map;
        try
        {
            FileStream stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                map = await JsonSerializer.DeserializeAsync(stream, StatusMapJsonContext.Default.StatusMapFile, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path} cannot be read: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            // The serializer's own message names .NET types; the operator needs the key and the place.
            string at = ex.LineNumber is { } line ? $" at {ex.Path ?? "$"} (line {line + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
            string reason = ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "an unknown key"
                : ex.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) ? "a key given twice"
                : "not valid JSON of the map's shape";
            throw new InvalidDataException($"{path}: {reason}{at}; a status map is {Shape}.", ex);
        }

        if (map is null)
        {
            throw new InvalidDataException($"{path}: the file holds null; a status map is {Shape}.");
        }

        if (string.IsNullOrWhiteSpace(map.Version))
        {
            throw new InvalidDataException($"{path}: \"version\" is missing or empty; name the mapping's version (for example \"shop-2026-11\"), reports carry it.");
        }

        if (map.Statuses is not { Count: > 0 })
        {
            throw new InvalidDataException($"{path}: \"statuses\" is missing or empty; map each merchant status to pending, paid, confirmed or expired.");
        }

        Dictionary<string, PaymentStatus> statuses = new(StringComparer.Ordinal);
        foreach ((string merchant, string? gateway) in map.Statuses)
        {
            if (merchant.Length == 0)
            {
                throw new InvalidDataException($"{path}: \"statuses\" has an empty merchant status.");
            }

            // The identity mapping lists the gateway's lifecycle once; a name outside it would judge every order wrong.
            if (!OrderStatusMapping.Identity.TryMap(gateway, out PaymentStatus status))
            {
                throw new InvalidDataException($"{path}: statuses.\"{merchant}\" is '{gateway}', which is not a gateway status: pending, paid, confirmed or expired.");
            }

            statuses.Add(merchant, status);
        }

        return new OrderStatusMapping(map.Version, statuses);
    }
}
