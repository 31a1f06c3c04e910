using System.Diagnostics;

namespace Kobbopay.EventStore.Tests.TestSupport;

/// <summary>
/// The PostgreSQL server the tests use: KOBBOPAY_POSTGRES holds its connection string (eval "$(bash build/postgres.sh)").
/// Without it the PostgreSQL tests are skipped with that reason, unless KOBBOPAY_REQUIRE_POSTGRES=1 makes it a failure.
/// KOBBOPAY_POSTGRES_CONTROL=1 (with KOBBOPAY_REQUIRE_POSTGRES=1) lets a test stop and start the server through
/// build/postgres.sh.
/// </summary>
internal static class PostgresDatabase
{
    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable("KOBBOPAY_POSTGRES") is { Length: > 0 } value ? value : null;

    public static bool Required => Environment.GetEnvironmentVariable("KOBBOPAY_REQUIRE_POSTGRES") == "1";

    /// <summary>The pool size of each test data source (<see cref="RequireConnectionString"/>).</summary>
    public const int MaxPoolSize = 8;

    public static bool ControlAllowed => Required && Environment.GetEnvironmentVariable("KOBBOPAY_POSTGRES_CONTROL") == "1";

    /// <summary>Skips a test that stops and restarts the shared server unless <see cref="ControlAllowed"/>.</summary>
    public static void RequireControl()
    {
        if (!ControlAllowed)
        {
            Assert.Skip("Stops and restarts the PostgreSQL server with build/postgres.sh: runs only with KOBBOPAY_REQUIRE_POSTGRES=1 and KOBBOPAY_POSTGRES_CONTROL=1.");
        }
    }

    /// <summary>Gets the connection string for a test, with a small pool so parallel tests stay under max_connections; skips or fails without one.</summary>
    public static string RequireConnectionString()
    {
        if (ConnectionString is { } connectionString)
        {
            return new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = MaxPoolSize, Timeout = 5 }.ConnectionString;
        }

        if (Required)
        {
            Assert.Fail("KOBBOPAY_REQUIRE_POSTGRES=1 but KOBBOPAY_POSTGRES is not set: run eval \"$(bash build/postgres.sh)\" first.");
        }

        Assert.Skip("PostgreSQL not configured: set KOBBOPAY_POSTGRES (eval \"$(bash build/postgres.sh)\") to run the PostgreSQL store tests.");
        throw new UnreachableException();
    }

    /// <summary>
    /// A lock file the test processes share (dotnet test runs test assemblies side by side): a test of another assembly
    /// that uses the server holds it shared (<see cref="ShareServerAsync"/>); an outage test holds it exclusively from
    /// "stop" until "start" has brought the server back, so it never stops the server under another process's test.
    /// </summary>
    private static readonly string ServerLockPath = Path.Combine(Path.GetTempPath(), "kobbopay-tests-postgres.lock");

    private static FileStream? _outage;

    /// <summary>Holds the server up for a test of another assembly than the outage tests': dispose it when done.</summary>
    public static async Task<IDisposable> ShareServerAsync(CancellationToken cancellationToken) =>
        await LockServerAsync(FileShare.ReadWrite, cancellationToken);

    /// <summary>Runs build/postgres.sh with an argument (stop, start).</summary>
    public static async Task ControlAsync(string command, CancellationToken cancellationToken)
    {
        if (command == "stop")
        {
            _outage ??= await LockServerAsync(FileShare.None, cancellationToken);
        }

        string script = Path.Combine(RepoRoot(), "build", "postgres.sh");
        using Process process = Process.Start(new ProcessStartInfo("bash", [script, command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            Assert.Fail($"bash build/postgres.sh {command} exited with {process.ExitCode}: {await stdout}{await stderr}");
        }

        if (command == "start")
        {
            // The server answers again (postgres.sh waited for it): other processes' tests may use it.
            Interlocked.Exchange(ref _outage, null)?.Dispose();
        }
    }

    public static async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = new(RequireConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using NpgsqlCommand command = new(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // An flock on the file (FileShare.None: exclusive; otherwise shared), taken without blocking, so it is retried.
    private static async Task<FileStream> LockServerAsync(FileShare share, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(ServerLockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, share);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    private static string RepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kobbopay.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Kobbopay.Sdk.sln not found above " + AppContext.BaseDirectory);
    }
}
