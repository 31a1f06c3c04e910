namespace Kobbopay.Simulator;

/// <summary>Thrown by the simulator's in-process control methods when a request cannot be carried out.</summary>
public sealed class SimulatorException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SimulatorException"/> class.</summary>
    public SimulatorException()
        : this("invalid_request", "The simulator could not carry out the request.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SimulatorException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public SimulatorException(string message)
        : this("invalid_request", message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SimulatorException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SimulatorException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "invalid_request";
    }

    /// <summary>Initializes a new instance of the <see cref="SimulatorException"/> class.</summary>
    /// <param name="code">The error code, as the control API would answer it.</param>
    /// <param name="message">What went wrong.</param>
    public SimulatorException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Gets the error code: <c>payment_not_found</c>, <c>invalid_transition</c> or <c>invalid_request</c>.</summary>
    public string Code { get; }

    /// <summary>Gets the request field at fault, for the control API's <c>param</c>; <see langword="null"/> when none is.</summary>
    internal string? Param { get; init; }
}
