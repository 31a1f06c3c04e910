namespace Kobbopay.Cli;

/// <summary>Where a run of the CLI reads its settings and writes its output: the process's console, or a test's writers.</summary>
/// <param name="output">Standard output: the command's result (lines, JSON).</param>
/// <param name="error">Standard error: messages, progress and the export's resume cursor.</param>
/// <param name="environment">Reads an environment variable; <see langword="null"/> when it is not set.</param>
internal sealed class CliContext(TextWriter output, TextWriter error, Func<string, string?> environment)
{
    /// <summary>Gets standard output.</summary>
    public TextWriter Out { get; } = output;

    /// <summary>Gets standard error.</summary>
    public TextWriter Err { get; } = error;

    /// <summary>Gets whether standard error is a terminal: progress is shown only then.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Gets the clock doctor compares the gateway's <c>Date</c> with.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets the innermost HTTP handler (a test's stub), or <see langword="null"/> for a real connection.</summary>
    public HttpMessageHandler? PrimaryHandler { get; init; }

    /// <summary>Reads an environment variable.</summary>
    /// <param name="name">The variable's name.</param>
    /// <returns>Its value, or <see langword="null"/> when it is not set or empty.</returns>
    public string? GetEnvironmentVariable(string name) => environment(name) is { Length: > 0 } value ? value : null;
}
