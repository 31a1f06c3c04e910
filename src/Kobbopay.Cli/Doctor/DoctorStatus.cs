namespace Kobbopay.Cli.Doctor;

/// <summary>The outcome of one doctor check.</summary>
internal enum DoctorStatus
{
    /// <summary>As it should be.</summary>
    Ok,

    /// <summary>Works, but worth a look.</summary>
    Warn,

    /// <summary>Wrong: doctor exits 1.</summary>
    Fail,
}
