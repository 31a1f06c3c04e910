using System.Diagnostics;

namespace Kobbopay.EventStore.Tests.TestSupport;

/// <summary>
/// tests/Kobbopay.QueuedWebhookApp as a real process (<c>dotnet Kobbopay.QueuedWebhookApp.dll</c>): started, read line by
/// line from stdout (LISTENING, HANDLED, BLOCKED), and killed with SIGKILL.
/// </summary>
internal sealed class QueuedAppProcess : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(90);
    private readonly Process _process;

    private QueuedAppProcess(Process process) => _process = process;

    /// <summary>Gets every stdout line read so far.</summary>
    public List<string> Lines { get; } = [];

    /// <summary>Gets the webhook endpoint's address.</summary>
    public Uri Url { get; private set; } = null!;

    public static async Task<QueuedAppProcess> StartAsync(params string[] args)
    {
        ProcessStartInfo info = new("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(AppDll());
        args.ToList().ForEach(info.ArgumentList.Add);
        info.Environment.Remove("ASPNETCORE_URLS");
        QueuedAppProcess app = new(Process.Start(info)!);
        string listening = await app.ReadUntilAsync(line => line.StartsWith("LISTENING ", StringComparison.Ordinal));
        app.Url = new Uri(new Uri(listening["LISTENING ".Length..]), "/webhook");
        return app;
    }

    /// <summary>Reads stdout until a line matches; returns it.</summary>
    public async Task<string> ReadUntilAsync(Func<string, bool> match)
    {
        using CancellationTokenSource guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(Guard);
        while (await _process.StandardOutput.ReadLineAsync(guard.Token) is { } line)
        {
            Lines.Add(line);
            if (match(line))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"The app exited ({_process.ExitCode}) before the line awaited; it wrote: {string.Join(" | ", Lines)}");
    }

    /// <summary>Kills the process with SIGKILL (no shutdown of any kind) and gives its exit code.</summary>
    public async Task<int> KillAsync()
    {
        _process.Kill(); // SIGKILL on Unix
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    /// <summary>The app's build output, in the configuration these tests were built in (the test project references it, so it is built first).</summary>
    private static string AppDll()
    {
        DirectoryInfo here = new(AppContext.BaseDirectory); // tests/Kobbopay.EventStore.Tests/bin/<configuration>/net10.0/
        string configuration = here.Parent!.Name;
        string dll = Path.GetFullPath(Path.Combine(here.FullName, "..", "..", "..", "..", "Kobbopay.QueuedWebhookApp", "bin", configuration, "net10.0", "Kobbopay.QueuedWebhookApp.dll"));
        File.Exists(dll).ShouldBeTrue($"build tests/Kobbopay.QueuedWebhookApp first: {dll}");
        return dll;
    }
}
