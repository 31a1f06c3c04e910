using System.CommandLine;

namespace Kobbopay.Simulator.Internal.Configuration;

/// <summary>
/// Picks each setting's value: a flag given on the command line, else configuration, else the flag's default; and
/// remembers where each came from, so a message about a bad value names the flag or the configuration key.
/// </summary>
internal sealed class SettingResolver(ParseResult parse, SimulatorConfiguration configuration)
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>Gets the configuration the values come from when no flag gives them.</summary>
    public SimulatorConfiguration Configuration => configuration;

    /// <summary>Gets whether the flag was given on the command line (not a default).</summary>
    public bool Given(Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>Gets a value-type setting (<paramref name="key"/> relative to <c>Kobbopay:Simulator</c>).</summary>
    public T Pick<T>(Option<T> option, T? configured, string key)
        where T : struct => Given(option) || configured is null ? Remember(option, key, parse.GetValue(option)) : Remember(key, configured.Value);

    /// <summary>Gets an optional value-type setting.</summary>
    public T? PickOptional<T>(Option<T?> option, T? configured, string key)
        where T : struct => Given(option) || configured is null ? Remember(option, key, parse.GetValue(option)) : Remember(key, configured);

    /// <summary>Gets a text setting.</summary>
    public string? Pick(Option<string?> option, string? configured, string key) =>
        Given(option) || configured is null ? Remember(option, key, parse.GetValue(option)) : Remember(key, configured);

    /// <summary>Gets the name a message should use for a setting (by its last part, as option validation names it): the flag, or the configuration key.</summary>
    public string NameOf(string setting) => _names.TryGetValue(setting, out string? name) ? name : setting;

    /// <summary>Gets the message of a failed validation with the setting it names as the user wrote it (a flag, or a key and its source).</summary>
    public string Describe(ArgumentException ex)
    {
        string message = ex.Message;
        if (ex.ParamName is { } param)
        {
            string suffix = $" (Parameter '{param}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal))
            {
                message = message[..^suffix.Length];
            }

            if (message.StartsWith(param + " ", StringComparison.Ordinal) && _names.TryGetValue(param, out string? name))
            {
                message = name + message[param.Length..];
            }
        }

        return message;
    }

    private T Remember<T>(Option option, string key, T value)
    {
        _names[Leaf(key)] = option.Name;
        return value;
    }

    private T Remember<T>(string key, T value)
    {
        string full = SimulatorSettings.Section + ":" + key;
        _names[Leaf(key)] = $"{full} ({configuration.SourceOf(full)})";
        return value;
    }

    private static string Leaf(string key) => key[(key.LastIndexOf(':') + 1)..];
}
