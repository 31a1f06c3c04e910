using System.Text.Json;
using Kobbopay.Shared.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Kobbopay.Simulator.Internal.Configuration;

/// <summary>
/// The program's configuration, the usual .NET way: <c>appsettings.json</c> and <c>appsettings.{DOTNET_ENVIRONMENT}.json</c>
/// in the current directory when present, the <c>--config</c> file, then environment variables (later sources win).
/// <c>Kobbopay:Simulator</c> is bound to <see cref="SimulatorSettings"/>, and a key it does not know stops the start.
/// </summary>
internal sealed class SimulatorConfiguration
{
    private readonly List<string> _sourceNames;

    private SimulatorConfiguration(IConfigurationRoot root, List<string> sourceNames, SimulatorSettings settings)
    {
        Root = root;
        _sourceNames = sourceNames;
        Settings = settings;
    }

    /// <summary>Gets the whole configuration (<c>Logging</c> is read from it too).</summary>
    public IConfigurationRoot Root { get; }

    /// <summary>Gets the bound <c>Kobbopay:Simulator</c> section.</summary>
    public SimulatorSettings Settings { get; }

    /// <summary>Gets what was read, for the banner: the files, and the environment when it set a simulator key.</summary>
    public string Sources
    {
        get
        {
            List<string> read = [];
            for (int i = 0; i < Root.Providers.Count(); i++)
            {
                IConfigurationProvider provider = Root.Providers.ElementAt(i);
                if (provider is EnvironmentVariablesConfigurationProvider)
                {
                    int set = KeysUnder(provider, SimulatorSettings.Section).Count();
                    if (set > 0)
                    {
                        read.Add($"environment ({set} Kobbopay__Simulator__ variable{(set == 1 ? string.Empty : "s")})");
                    }
                }
                else
                {
                    read.Add(_sourceNames[i]);
                }
            }

            return read.Count == 0 ? "none (defaults and flags)" : string.Join(", ", read);
        }
    }

    /// <summary>Reads the sources and binds the section; <paramref name="error"/> names the file or key when that fails.</summary>
    public static SimulatorConfiguration? Load(string? configFile, string directory, out string? error)
    {
        error = null;
        ConfigurationBuilder builder = new();
        List<string> names = [];
        string? environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 } env ? env : null;
        foreach (string name in (string[])(environment is null ? ["appsettings.json"] : ["appsettings.json", $"appsettings.{environment}.json"]))
        {
            string path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                builder.AddJsonFile(path, optional: false, reloadOnChange: false);
                names.Add(path);
            }
        }

        if (configFile is not null)
        {
            string path = Path.GetFullPath(configFile, directory);
            if (!File.Exists(path))
            {
                error = $"--config: there is no file at {path}.";
                return null;
            }

            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
            names.Add(path);
        }

        builder.AddEnvironmentVariables();
        names.Add("environment");

        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (InvalidDataException ex)
        {
            // "Failed to load configuration from file '…'": the JSON provider names the file and the line.
            error = (ex.InnerException is JsonException json ? $"{ex.Message} {json.Message}" : ex.Message).Trim();
            return null;
        }

        SimulatorConfiguration loaded = new(root, names, new SimulatorSettings());
        string clock = SimulatorSettings.Section + ":" + nameof(SimulatorSettings.Clock);
        if (EnumSettings.Check<SimulatorClockMode>(root.GetSection(SimulatorSettings.Section), nameof(SimulatorSettings.Clock), SimulatorSettings.Section) is { } wrongClock)
        {
            // The binder's own failure ("Requested value was not found") names neither the key nor the allowed values.
            error = $"{wrongClock} It is set in {loaded.SourceOf(clock)}.";
            return null;
        }

        try
        {
            root.GetSection(SimulatorSettings.Section).Bind(loaded.Settings, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            error = loaded.Explain(ex);
            return null;
        }

        return loaded;
    }

    /// <summary>Gets where a key's value comes from: the last source that sets it.</summary>
    public string SourceOf(string key)
    {
        for (int i = Root.Providers.Count() - 1; i >= 0; i--)
        {
            IConfigurationProvider provider = Root.Providers.ElementAt(i);
            if (provider.TryGet(key, out _))
            {
                return provider is EnvironmentVariablesConfigurationProvider ? "environment variable " + key.Replace(":", "__", StringComparison.Ordinal) : _sourceNames[i];
            }
        }

        return "configuration";
    }

    /// <summary>Gets whether configuration sets a key (a full path such as <c>Kobbopay:Simulator:Port</c>).</summary>
    public bool Sets(string key) => Root[key] is not null;

    private static IEnumerable<string> KeysUnder(IConfigurationProvider provider, string section) =>
        new ConfigurationRoot([provider]).GetSection(section).AsEnumerable().Where(kv => kv.Value is not null).Select(kv => kv.Key);

    /// <summary>
    /// Names the key a failed bind stumbled on, and its source. The binder says which property it did not find (or could
    /// not convert) but neither its path nor its file, so each key is bound again on its own to find it.
    /// </summary>
    private string Explain(InvalidOperationException failure)
    {
        foreach ((string key, string? value) in Root.GetSection(SimulatorSettings.Section).AsEnumerable().Where(kv => kv.Value is not null).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            IConfigurationRoot single = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();
            try
            {
                single.GetSection(SimulatorSettings.Section).Bind(new SimulatorSettings(), binder => binder.ErrorOnUnknownConfiguration = true);
                continue;
            }
            catch (InvalidOperationException)
            {
                // This key is the one (or one of them): unknown, or a value of the wrong kind.
            }

            try
            {
                single.GetSection(SimulatorSettings.Section).Bind(new SimulatorSettings());
                return $"{key} ({SourceOf(key)}) is not a setting of the simulator; docs/kobbopay-sim.example.json shows every key under {SimulatorSettings.Section}.";
            }
            catch (InvalidOperationException)
            {
                // Secrets are strings and always convert: a value shown here is never one.
                return $"{key} ({SourceOf(key)}) has a value of the wrong kind: '{value}'.";
            }
        }

        return failure.Message;
    }
}
