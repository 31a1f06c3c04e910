using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Kobbopay.EventStore.Tests.TestSupport;

/// <summary>An <see cref="ILogger{T}"/> that keeps every entry, for assertions on what was logged.</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    /// <summary>Gets the entries logged so far.</summary>
    public ConcurrentQueue<(LogLevel Level, EventId EventId, string Message, Exception? Exception)> Entries { get; } = new();

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, eventId, formatter(state, exception), exception));
}
