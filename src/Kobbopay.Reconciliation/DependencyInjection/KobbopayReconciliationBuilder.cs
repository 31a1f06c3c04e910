using System.Data.Common;
using Kobbopay;
using Kobbopay.Reconciliation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses where scheduled reconciliation keeps its checkpoint; returned by <c>AddKobbopayReconciliation</c>.</summary>
public sealed class KobbopayReconciliationBuilder
{
    internal KobbopayReconciliationBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Keeps the checkpoint in PostgreSQL and lets one instance run at a time (<see cref="PostgreSqlReconciliationCheckpointStore"/>),
    /// on the <see cref="DbDataSource"/> registered in the container: Npgsql's <c>AddNpgsqlDataSource(…)</c> registers one,
    /// the same the PostgreSQL webhook event store uses.
    /// </summary>
    /// <param name="jobName">Names this schedule when one database holds several.</param>
    /// <returns>The builder, for chaining.</returns>
    public KobbopayReconciliationBuilder UsePostgreSqlCheckpoints(string jobName = PostgreSqlReconciliationCheckpointStore.DefaultJobName)
    {
        Guard.NotNullOrEmpty(jobName);
        return UseCheckpointStore(sp => new PostgreSqlReconciliationCheckpointStore(
            sp.GetService<DbDataSource>() ?? throw new InvalidOperationException(
                "UsePostgreSqlCheckpoints() found no DbDataSource in the container: register the app's NpgsqlDataSource (AddNpgsqlDataSource(connectionString)), or pass one to UsePostgreSqlCheckpoints(dataSource)."),
            jobName));
    }

    /// <summary>Keeps the checkpoint in PostgreSQL and lets one instance run at a time, on the data source given (an <c>NpgsqlDataSource</c>).</summary>
    /// <param name="dataSource">The PostgreSQL data source; the app owns and disposes it.</param>
    /// <param name="jobName">Names this schedule when one database holds several.</param>
    /// <returns>The builder, for chaining.</returns>
    public KobbopayReconciliationBuilder UsePostgreSqlCheckpoints(DbDataSource dataSource, string jobName = PostgreSqlReconciliationCheckpointStore.DefaultJobName)
    {
        PostgreSqlReconciliationCheckpointStore store = new(Guard.NotNull(dataSource), jobName);
        return UseCheckpointStore(_ => store);
    }

    /// <summary>
    /// Keeps the checkpoint in SQLite, with a lease in its row so one process runs at a time
    /// (<see cref="SqliteReconciliationCheckpointStore"/>), on the data source given: <c>SqliteFactory.Instance.CreateDataSource(connectionString)</c>,
    /// for example the webhook event store's file.
    /// </summary>
    /// <param name="dataSource">The SQLite data source; the app owns and disposes it.</param>
    /// <param name="jobName">Names this schedule when one file holds several.</param>
    /// <param name="leaseDuration">How long a lease holds without being saved or given up; longer than a run takes. Defaults to 1 hour.</param>
    /// <returns>The builder, for chaining.</returns>
    public KobbopayReconciliationBuilder UseSqliteCheckpoints(DbDataSource dataSource, string jobName = PostgreSqlReconciliationCheckpointStore.DefaultJobName, TimeSpan? leaseDuration = null)
    {
        Guard.NotNull(dataSource);
        return UseCheckpointStore(sp => new SqliteReconciliationCheckpointStore(dataSource, jobName, leaseDuration, sp.GetService<TimeProvider>()));
    }

    /// <summary>Keeps the checkpoint in a store of the app's own (replacing the in-memory default).</summary>
    /// <param name="factory">Makes the store, once.</param>
    /// <returns>The builder, for chaining.</returns>
    public KobbopayReconciliationBuilder UseCheckpointStore(Func<IServiceProvider, IReconciliationCheckpointStore> factory)
    {
        Guard.NotNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }
}
