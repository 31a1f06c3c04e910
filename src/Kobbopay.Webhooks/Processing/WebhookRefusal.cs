namespace Kobbopay.Webhooks;

/// <summary>Why a host refused a delivery before it reached the <see cref="WebhookProcessor"/>.</summary>
public enum WebhookRefusal
{
    /// <summary>The content type was not <c>application/json</c> (415); counted as <c>unsupported_media_type</c>.</summary>
    UnsupportedMediaType,

    /// <summary>The body was larger than the cap (413); counted as <c>too_large</c>.</summary>
    TooLarge,

    /// <summary>The body could not be read; counted as <c>unreadable</c>.</summary>
    Unreadable,

    /// <summary>The sender went away before the body was read; counted as <c>aborted</c>.</summary>
    Aborted,

    /// <summary>The sender was outside the network controls (its address or client certificate) and its body was not read (403); counted as <c>forbidden</c>.</summary>
    Forbidden,
}
