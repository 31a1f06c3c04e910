namespace Kobbopay.TestUtilities.PublicApi;

/// <summary>Thrown when text differs from its approved file; the message says how to approve the change.</summary>
public sealed class ApprovalException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ApprovalException"/> class.</summary>
    public ApprovalException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ApprovalException"/> class with a message.</summary>
    /// <param name="message">What differs and how to approve it.</param>
    public ApprovalException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ApprovalException"/> class with a message and a cause.</summary>
    /// <param name="message">What differs and how to approve it.</param>
    /// <param name="innerException">The cause.</param>
    public ApprovalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
