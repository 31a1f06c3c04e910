namespace Kobbopay.Sdk;

/// <summary>A call did not complete within its total timeout (<see cref="Resilience.KobbopayResilienceOptions.TotalRequestTimeout"/>), retries included.</summary>
public sealed class KobbopayTimeoutException : KobbopayException
{
    /// <summary>Initializes a new instance of the <see cref="KobbopayTimeoutException"/> class.</summary>
    public KobbopayTimeoutException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayTimeoutException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public KobbopayTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayTimeoutException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public KobbopayTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
