using WireMock.Server;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// Loads WireMock mapping files (<c>*.json</c>, one mapping or an array, the format <c>GET /__admin/mappings</c> lists)
/// from a folder, in name order. Unlike WireMock's own loader, which logs and skips a file it cannot read, a bad file
/// stops the start with its name and the reason: a QA team's edge cases never silently vanish.
/// </summary>
internal static class MappingFiles
{
    public static int Load(WireMockServer server, string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new SimulatorException($"{nameof(KobbopaySimulatorOptions.MappingsDirectory)} (--mappings): the folder '{folder}' does not exist.");
        }

        int loaded = 0;
        foreach (string file in Directory.EnumerateFiles(folder, "*.json", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
        {
            if (Guid.TryParse(Path.GetFileNameWithoutExtension(file), out Guid id) && LifecycleMappings.Ids.Contains(id))
            {
                throw new SimulatorException($"Mapping file '{file}' is named after one of the simulator's lifecycle mappings; give it another name.");
            }

            try
            {
                if (!server.ReadStaticMappingAndAddOrUpdate(file))
                {
                    throw new IOException("it could not be read");
                }
            }
            catch (Exception ex) when (ex is not SimulatorException)
            {
                throw new SimulatorException($"Mapping file '{file}' is not a valid WireMock mapping: {ex.GetBaseException().Message}", ex);
            }

            loaded++;
        }

        return loaded;
    }
}
