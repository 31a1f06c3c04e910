using System.Reflection;
using Kobbopay.Simulator.Scenarios.Internal;

namespace Kobbopay.Simulator.Scenarios;

/// <summary>
/// A scenario: the endpoints it declares and a script of steps that drive payments and check what the simulator did,
/// run by <see cref="ScenarioRunner"/> or <c>kobbopay-sim run scenario.json</c>. docs/simulator.md describes the file.
/// </summary>
/// <example>
/// <code>
/// {
///   "name": "paid then confirmed",
///   "endpoints": { "merchant": { "respond": 200 } },
///   "steps": [
///     { "step": "create", "as": "p", "amount": "25.00", "currency": "USDT", "network": "example-network", "orderId": "order-1001" },
///     { "step": "pay", "payment": "p" },
///     { "step": "confirm", "payment": "p" },
///     { "step": "expectStatus", "payment": "p", "status": "confirmed", "amountReceived": "25.00" },
///     { "step": "expectDelivery", "payment": "p", "event": "payment.confirmed", "endpoint": "merchant", "status": 200 }
///   ]
/// }
/// </code>
/// </example>
public sealed class Scenario
{
    private const string ShippedPrefix = "Kobbopay.Simulator.Scenarios.shipped.";

    /// <summary>Gets the scenario's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets what the scenario shows, for a person; <see langword="null"/> when the file says nothing.</summary>
    public string? Description { get; init; }

    /// <summary>Gets where the scenario was read from (a file path, or <c>shipped:name.json</c>); <see langword="null"/> for one built in code.</summary>
    public string? Source { get; init; }

    /// <summary>Gets the webhook endpoints the scenario declares, by the name its steps use.</summary>
    public IReadOnlyDictionary<string, ScenarioEndpoint> Endpoints { get; init; } = new Dictionary<string, ScenarioEndpoint>();

    /// <summary>Gets the steps, in the order they run.</summary>
    public required IReadOnlyList<ScenarioStep> Steps { get; init; }

    /// <summary>Gets the file names of the scenarios shipped with the simulator (the seeds' awkward cases), in the order they run.</summary>
    public static IReadOnlyList<string> ShippedNames { get; } = [.. typeof(Scenario).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ShippedPrefix, StringComparison.Ordinal))
        .Select(n => n[ShippedPrefix.Length..])
        .Order(StringComparer.Ordinal)];

    /// <summary>Reads a scenario from JSON text.</summary>
    /// <param name="json">The scenario file's text.</param>
    /// <param name="source">Where it came from, named by error messages (a file path).</param>
    /// <returns>The scenario.</returns>
    /// <exception cref="ScenarioFormatException">The text is not a valid scenario; the message names the source, the line, the step and the field.</exception>
    public static Scenario Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        return ScenarioParser.Parse(json, source);
    }

    /// <summary>Reads a scenario file.</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The scenario.</returns>
    /// <exception cref="ScenarioFormatException">The file cannot be read, or is not a valid scenario; the message names the file, the line, the step and the field.</exception>
    public static async Task<Scenario> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ScenarioFormatException(path, $"{path}: cannot be read: {ex.Message}", ex);
        }

        return ScenarioParser.Parse(text, path);
    }

    /// <summary>Reads a scenario shipped with the simulator.</summary>
    /// <param name="name">One of <see cref="ShippedNames"/>, such as <c>paid-then-confirmed.json</c>.</param>
    /// <returns>The scenario; its <see cref="Source"/> is <c>shipped:</c> and the name.</returns>
    /// <exception cref="ArgumentException">No shipped scenario has that name.</exception>
    public static Scenario LoadShipped(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        using Stream? stream = typeof(Scenario).Assembly.GetManifestResourceStream(ShippedPrefix + name);
        if (stream is null)
        {
            throw new ArgumentException($"No shipped scenario is named '{name}'; the shipped ones are {string.Join(", ", ShippedNames)}.", nameof(name));
        }

        using StreamReader reader = new(stream);
        return ScenarioParser.Parse(reader.ReadToEnd(), "shipped:" + name);
    }

    /// <summary>Reads the text of a scenario shipped with the simulator, to copy and change.</summary>
    /// <param name="name">One of <see cref="ShippedNames"/>.</param>
    /// <returns>The file's text.</returns>
    /// <exception cref="ArgumentException">No shipped scenario has that name.</exception>
    public static string ReadShippedText(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        using Stream stream = typeof(Scenario).Assembly.GetManifestResourceStream(ShippedPrefix + name)
            ?? throw new ArgumentException($"No shipped scenario is named '{name}'; the shipped ones are {string.Join(", ", ShippedNames)}.", nameof(name));
        using StreamReader reader = new(stream);
        return reader.ReadToEnd();
    }
}
