using System.ComponentModel;
using System.Diagnostics;

namespace Kobbopay.Webhooks.Tests.TestSupport;

/// <summary>
/// Runs an independent tool (openssl, node) to compute a signature the library did not compute. A missing tool fails the
/// test with a message that says so: a known-answer test that silently passed without its oracle would prove nothing.
/// </summary>
internal static class ExternalTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static string Run(string fileName, params string[] arguments)
    {
        ProcessStartInfo start = new(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"The independent tool '{fileName}' is not installed or not on PATH ({e.Message}). The live known-answer tests need it "
                + "(Debian: apt-get install openssl nodejs); the pinned known answers in the same class still run without it.",
                e);
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"'{fileName}' did not finish within {Timeout}.");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"'{fileName}' exited with {process.ExitCode}: {stderr.Result}");
            }

            return stdout.Result;
        }
    }

    /// <summary>Writes bytes to a fresh temporary file and returns its path; the caller deletes it.</summary>
    public static string WriteTempFile(ReadOnlySpan<byte> bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), "kobbopay-webhooks-kat-" + Guid.NewGuid().ToString("N") + ".bin");
        using FileStream file = new(path, FileMode.CreateNew, FileAccess.Write);
        file.Write(bytes);
        return path;
    }
}
