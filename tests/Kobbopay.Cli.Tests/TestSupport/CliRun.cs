using System.Text.RegularExpressions;

namespace Kobbopay.Cli.Tests.TestSupport;

/// <summary>One run of the CLI in process: its exit code and what it wrote.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Out">Standard output.</param>
/// <param name="Err">Standard error.</param>
internal sealed partial record CliRun(int ExitCode, string Out, string Err)
{
    /// <summary>Gets standard error without ANSI escapes: the status line uses them when the environment's terminal (TERM) has them.</summary>
    public string ErrPlain => AnsiEscape().Replace(Err, string.Empty);

    /// <summary>Gets standard output's lines.</summary>
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Runs <c>kobbopay</c> with <paramref name="args"/> and the environment variables <paramref name="environment"/>.</summary>
    /// <param name="environment">The variables the run sees; no other.</param>
    /// <param name="args">The arguments.</param>
    /// <param name="handler">A stub innermost HTTP handler, or <see langword="null"/> for real connections.</param>
    /// <param name="terminal">Whether standard error is a terminal (progress shows only then).</param>
    /// <param name="clock">The CLI's clock, or <see langword="null"/> for the system's.</param>
    /// <returns>The run.</returns>
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, string[] args, HttpMessageHandler? handler = null, bool terminal = false, TimeProvider? clock = null)
    {
        using StringWriter output = new();
        using StringWriter error = new();
        CliContext context = new(output, error, name => environment.GetValueOrDefault(name))
        {
            PrimaryHandler = handler,
            ErrorIsTerminal = terminal,
            TimeProvider = clock ?? TimeProvider.System,
        };
        int code = await CliApp.RunAsync(args, context, TestContext.Current.CancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
