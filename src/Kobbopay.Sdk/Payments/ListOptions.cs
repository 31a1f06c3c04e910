namespace Kobbopay.Sdk;

/// <summary>Filters for listing payments.</summary>
public sealed class PaymentListOptions
{
    /// <summary>Gets or sets the order id to match.</summary>
    public string? OrderId { get; set; }

    /// <summary>Gets or sets the status to match.</summary>
    public PaymentStatus? Status { get; set; }

    /// <summary>Gets or sets the earliest creation time, inclusive.</summary>
    public DateTimeOffset? CreatedFrom { get; set; }

    /// <summary>Gets or sets the latest creation time, inclusive.</summary>
    public DateTimeOffset? CreatedTo { get; set; }

    /// <summary>Gets or sets how many items a page holds (1 to 100).</summary>
    /// <value>Defaults to <see langword="null"/>: the gateway's default (20).</value>
    public int? PageSize { get; set; }
}

/// <summary>Filters for the event export.</summary>
public sealed class EventListOptions
{
    /// <summary>Gets or sets the event type to match.</summary>
    public PaymentEventType? Type { get; set; }

    /// <summary>Gets or sets the earliest event time, inclusive.</summary>
    public DateTimeOffset? CreatedFrom { get; set; }

    /// <summary>Gets or sets how many items a page holds (1 to 100).</summary>
    /// <value>Defaults to <see langword="null"/>: the gateway's default (20).</value>
    public int? PageSize { get; set; }
}

/// <summary>How <see cref="KobbopayClient.WaitForPaymentAsync"/> polls.</summary>
public sealed class PaymentWaitOptions
{
    /// <summary>Gets or sets the first delay between polls; each next delay doubles, up to <see cref="MaxPollInterval"/>.</summary>
    /// <value>Defaults to 1 second.</value>
    public TimeSpan InitialPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest delay between polls.</summary>
    /// <value>Defaults to 30 seconds.</value>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long to wait in all; <see langword="null"/> waits until cancelled.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public TimeSpan? Timeout { get; set; }
}
