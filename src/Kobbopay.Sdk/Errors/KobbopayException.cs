namespace Kobbopay.Sdk;

/// <summary>The base of every exception the Kobbopay client throws. Catch this to handle any gateway failure in one place.</summary>
public class KobbopayException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="KobbopayException"/> class.</summary>
    public KobbopayException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public KobbopayException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public KobbopayException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
