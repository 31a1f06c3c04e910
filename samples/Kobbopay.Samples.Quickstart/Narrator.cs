using Microsoft.Extensions.Logging;

namespace Kobbopay.Samples.Quickstart;

/// <summary>Prints each step as it happens, stamped with the simulator's clock.</summary>
internal sealed class Narrator(Func<DateTimeOffset> now)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _said = new(StringComparer.Ordinal);

    public void Say(string what, string text)
    {
        lock (_gate)
        {
            _said[what] = Count(what) + 1;
            Console.WriteLine($"  {now():HH:mm:ss}  {what,-9} {text}");
        }
    }

    /// <summary>Gets how many lines of a kind were said: <c>stale</c>, <c>duplicate</c>, ...</summary>
    public int Count(string what)
    {
        lock (_gate)
        {
            return _said.GetValueOrDefault(what);
        }
    }

    public static void Heading(string text)
    {
        Console.WriteLine();
        Console.WriteLine(text);
    }
}

/// <summary>Turns the webhook path's own log events into narration: duplicates ignored, stale events kept from the handler, signatures refused.</summary>
internal sealed class NarratingLoggerProvider(Narrator narrator) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(narrator);

    public void Dispose()
    {
    }

    private sealed class Logger(Narrator narrator) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Stable event ids of Kobbopay.Webhooks' processor.
            string? what = eventId.Id switch
            {
                300 => "refused",
                302 => "duplicate",
                303 => "busy",
                304 => "failed",
                307 => "stale",
                _ => null,
            };
            if (what is not null)
            {
                narrator.Say(what, formatter(state, exception).Replace("Kobbopay webhook ", string.Empty, StringComparison.Ordinal));
            }
        }
    }
}
