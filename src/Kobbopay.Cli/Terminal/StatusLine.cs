using Spectre.Console;

namespace Kobbopay.Cli.Terminal;

/// <summary>
/// One line of progress on standard error, redrawn in place by Spectre.Console: erased with ANSI when the terminal
/// has it, overwritten with spaces when it has not. There is one only when standard error is a terminal
/// (<see cref="CliContext.ErrorIsTerminal"/>): a redirected run writes no progress at all. Standard output is never touched.
/// </summary>
internal sealed class StatusLine
{
    private static readonly Style Dim = new(decoration: Decoration.Dim);

    private readonly IAnsiConsole _console;
    private readonly TextWriter _error;
    private readonly Lock _gate = new();
    private int _shown;

    private StatusLine(CliContext context)
    {
        _error = context.Err;
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Err),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Yes,
        });
    }

    /// <summary>Creates the status line of a run whose standard error is a terminal.</summary>
    /// <param name="context">The run's console.</param>
    /// <returns>The status line, or <see langword="null"/> when standard error is redirected.</returns>
    public static StatusLine? For(CliContext context) => context.ErrorIsTerminal ? new StatusLine(context) : null;

    /// <summary>Replaces the line's text, cut to the terminal's width so that it never wraps.</summary>
    /// <param name="text">The progress, plain text.</param>
    public void Show(string text)
    {
        string line = text.Length < _console.Profile.Width ? text : text[..Math.Max(0, _console.Profile.Width - 1)];
        lock (_gate)
        {
            Erase();
            _console.Write(new Text(line, Dim));
            _shown = line.Length;
        }
    }

    /// <summary>Erases the line, leaving the cursor at its start: before other output, and at the end of the run.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            if (_shown > 0)
            {
                Erase();
                _shown = 0;
            }
        }
    }

    private void Erase()
    {
        if (_console.Profile.Capabilities.Ansi)
        {
            _console.WriteAnsi("\r\u001b[2K");
        }
        else
        {
            _error.Write(_shown == 0 ? "\r" : "\r" + new string(' ', _shown) + "\r");
        }
    }
}
