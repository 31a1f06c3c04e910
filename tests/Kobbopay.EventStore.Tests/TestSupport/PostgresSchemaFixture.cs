namespace Kobbopay.EventStore.Tests.TestSupport;

/// <summary>A schema of its own for one test class (so classes run in parallel), dropped with everything in it afterwards.</summary>
public sealed class PostgresSchemaFixture : IAsyncDisposable
{
    private int _tables;

    /// <summary>Gets the schema's name.</summary>
    public string Schema { get; } = "kpt_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Returns a table name not used before in this schema.</summary>
    public string NextTable(string prefix = "events") => $"{prefix}_{Interlocked.Increment(ref _tables)}";

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (PostgresDatabase.ConnectionString is not { } connectionString)
        {
            return;
        }

        try
        {
            await using NpgsqlConnection connection = new(connectionString);
            await connection.OpenAsync();
            await using NpgsqlCommand drop = new($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // The server is gone (a failing run); nothing to clean.
        }
    }
}
