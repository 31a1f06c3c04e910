namespace Kobbopay.Webhooks;

/// <summary>Where an event in an <see cref="IWebhookInbox"/> stands.</summary>
public enum WebhookInboxState
{
    /// <summary>Waiting for its (next) handler run, or being run under a lease.</summary>
    Pending,

    /// <summary>Handled: kept so that a redelivery is recognised as a duplicate, until purged.</summary>
    Completed,

    /// <summary>Set aside for review after too many failed runs, or because it could not be parsed: never run again until requeued.</summary>
    Parked,
}
