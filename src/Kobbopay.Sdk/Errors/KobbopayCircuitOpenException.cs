namespace Kobbopay.Sdk;

/// <summary>The client's circuit breaker is open after too many failures: the call was not sent. Try again after <see cref="RetryAfter"/>.</summary>
public sealed class KobbopayCircuitOpenException : KobbopayException
{
    /// <summary>Initializes a new instance of the <see cref="KobbopayCircuitOpenException"/> class.</summary>
    public KobbopayCircuitOpenException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayCircuitOpenException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public KobbopayCircuitOpenException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayCircuitOpenException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public KobbopayCircuitOpenException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayCircuitOpenException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="retryAfter">When the breaker will let a trial call through, if known.</param>
    /// <param name="innerException">The cause.</param>
    public KobbopayCircuitOpenException(string message, TimeSpan? retryAfter, Exception? innerException)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>Gets how long until the breaker lets a trial call through, or <see langword="null"/> when unknown.</summary>
    public TimeSpan? RetryAfter { get; }
}
