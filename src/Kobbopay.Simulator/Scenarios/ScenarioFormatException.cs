namespace Kobbopay.Simulator.Scenarios;

/// <summary>A scenario file cannot be read or is not a valid scenario. The message names the file, the line, the step and the field.</summary>
public sealed class ScenarioFormatException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ScenarioFormatException"/> class.</summary>
    public ScenarioFormatException()
        : this("The scenario is not valid.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ScenarioFormatException"/> class.</summary>
    /// <param name="message">What is wrong.</param>
    public ScenarioFormatException(string message)
        : base(message)
    {
        ScenarioSource = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="ScenarioFormatException"/> class.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ScenarioFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        ScenarioSource = string.Empty;
    }

    internal ScenarioFormatException(string source, string message, Exception? innerException = null, int? step = null, string? field = null, int? line = null)
        : base(message, innerException)
    {
        ScenarioSource = source;
        StepNumber = step;
        Field = field;
        LineNumber = line;
    }

    /// <summary>Gets the file (or <c>shipped:</c> name) the scenario came from.</summary>
    public string ScenarioSource { get; }

    /// <summary>Gets the number of the step at fault, from 1; <see langword="null"/> when the fault is outside the steps.</summary>
    public int? StepNumber { get; }

    /// <summary>Gets the JSON field at fault, or <see langword="null"/> when no one field is.</summary>
    public string? Field { get; }

    /// <summary>Gets the line of the file at fault, from 1, or <see langword="null"/> when unknown.</summary>
    public int? LineNumber { get; }
}
