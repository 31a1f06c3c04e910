using System.Data.Common;
using Kobbopay.Reconciliation;
using Npgsql;

namespace Shop;

public static class ScheduledReconciliation
{
    public static void Configure(WebApplicationBuilder builder)
    {
        // snippet: scheduled
        builder.Services.AddKobbopayClient(builder.Configuration.GetSection("Kobbopay"));
        builder.Services.AddSingleton<DbDataSource>(NpgsqlDataSource.Create(builder.Configuration.GetConnectionString("Orders")!));
        builder.Services.AddScoped<IReconciliationSink, ReviewQueueSink>();                       // optional: the log otherwise
        builder.Services
            .AddKobbopayReconciliation<OrdersLedger>(o =>
            {
                o.Interval = TimeSpan.FromHours(1);     // runs at the top of each hour
                o.Lookback = TimeSpan.FromDays(3);      // each run compares the orders and payments of the last 3 days
                o.SettleTime = TimeSpan.FromMinutes(5); // and leaves the last 5 minutes to the next run
                o.StatusMapping = NightlyReconciliation.Mapping;
            })
            .UsePostgreSqlCheckpoints();                // the checkpoint and the lock in the app's PostgreSQL
        // end snippet
    }
}
