namespace Kobbopay.Cli.Doctor;

/// <summary>One finding of doctor: its status, the setting or concern it is about, and a message that names the setting.</summary>
/// <param name="Status">Ok, warn or fail.</param>
/// <param name="Name">What was checked: a setting's name or a concern (https, reachability, clock skew).</param>
/// <param name="Message">What was found; never a secret.</param>
internal sealed record DoctorCheck(DoctorStatus Status, string Name, string Message)
{
    /// <summary>Creates an ok finding.</summary>
    /// <param name="name">What was checked.</param>
    /// <param name="message">What was found.</param>
    /// <returns>The finding.</returns>
    public static DoctorCheck Ok(string name, string message) => new(DoctorStatus.Ok, name, message);

    /// <summary>Creates a warning.</summary>
    /// <param name="name">What was checked.</param>
    /// <param name="message">What was found.</param>
    /// <returns>The finding.</returns>
    public static DoctorCheck Warn(string name, string message) => new(DoctorStatus.Warn, name, message);

    /// <summary>Creates a failure.</summary>
    /// <param name="name">What was checked.</param>
    /// <param name="message">What was found.</param>
    /// <returns>The finding.</returns>
    public static DoctorCheck Fail(string name, string message) => new(DoctorStatus.Fail, name, message);

    /// <summary>Formats the finding as one line: <c>fail  https  …</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{Status.ToString().ToLowerInvariant(),-5} {Name,-24} {Message}";
}
