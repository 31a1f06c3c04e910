namespace Kobbopay.Sdk;

/// <summary>The gateway could not be reached, or the connection failed, and retries ran out.</summary>
public sealed class KobbopayNetworkException : KobbopayException
{
    /// <summary>Initializes a new instance of the <see cref="KobbopayNetworkException"/> class.</summary>
    public KobbopayNetworkException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayNetworkException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public KobbopayNetworkException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayNetworkException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, usually an <see cref="HttpRequestException"/>.</param>
    public KobbopayNetworkException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
