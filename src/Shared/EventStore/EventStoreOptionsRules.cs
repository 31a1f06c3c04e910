namespace Kobbopay.EventStore.Internal;

/// <summary>The rules both stores' options share, as the constants their data annotations are written with.</summary>
internal static class EventStoreOptionsRules
{
    /// <summary>A table or schema name: letters, digits and underscores, starting with a letter or underscore, at most 48 characters.</summary>
    public const string IdentifierPattern = "^[A-Za-z_][A-Za-z0-9_]{0,47}$";

    /// <summary>The end of the message for a name that does not match <see cref="IdentifierPattern"/>.</summary>
    public const string IdentifierMessage = " must be letters, digits and underscores, start with a letter or underscore, and be at most 48 characters.";

    /// <summary>The shortest retention, as a <see cref="TimeSpan"/> string: longer than the gateway's whole retry horizon.</summary>
    public const string MinimumRetention = "12:00:00";

    /// <summary>The end of the message for a retention shorter than <see cref="MinimumRetention"/>.</summary>
    public const string RetentionMessage = ":Retention must be at least 12 hours, longer than the gateway's whole retry horizon (about 10.7 hours).";

    /// <summary>The end of the message for a negative purge interval.</summary>
    public const string PurgeIntervalMessage = ":PurgeInterval must not be negative (TimeSpan.Zero turns automatic purging off).";
}
