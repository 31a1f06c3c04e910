using Microsoft.Extensions.Logging;

namespace Kobbopay.EventStore.Internal;

/// <summary>
/// Tracks whether a store's database answers, so that an outage is logged once as an error (and each further failure at
/// debug level) and the recovery once as information, however many deliveries fail in between. Thread-safe.
/// </summary>
/// <param name="database">The database as logs name it (a file, or host, port and database; never a password).</param>
/// <param name="describe">Describes a failure for the log in the driver's terms (an error code and its message).</param>
/// <param name="logger">Where to log.</param>
internal sealed class EventStoreAvailability(string database, Func<Exception, string> describe, ILogger logger)
{
    private int _unavailable;

    /// <summary>Gets the database as logs name it.</summary>
    public string Database => database;

    /// <summary>Records a call that went through; logs the recovery when the database was unavailable.</summary>
    public void Available()
    {
        if (Volatile.Read(ref _unavailable) == 1 && Interlocked.Exchange(ref _unavailable, 0) == 1)
        {
            EventStoreLog.Recovered(logger, database);
        }
    }

    /// <summary>Records a failed call: an error for the first failure of an outage, debug for the others.</summary>
    /// <param name="operation">What failed (begin, complete, abandon, purge, migrate).</param>
    /// <param name="exception">The failure.</param>
    public void Unavailable(string operation, Exception exception)
    {
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            EventStoreLog.Unavailable(logger, exception, database, operation, describe(exception));
        }
        else
        {
            EventStoreLog.StillUnavailable(logger, database, operation, describe(exception));
        }
    }
}
