namespace Kobbopay.Cli;

/// <summary>The exit codes of every command.</summary>
internal static class CliExitCodes
{
    /// <summary>Done; for doctor, every check passed or only warned; for reconcile, no exception.</summary>
    public const int Ok = 0;

    /// <summary>Findings: a doctor check failed, or reconcile found exceptions.</summary>
    public const int Findings = 1;

    /// <summary>Bad input (an argument, a setting, a file) or an unreachable gateway; the message names which.</summary>
    public const int BadInput = 2;

    /// <summary>Interrupted (Ctrl+C); the export printed where to continue, reconcile kept no partial report.</summary>
    public const int Interrupted = 130;
}
