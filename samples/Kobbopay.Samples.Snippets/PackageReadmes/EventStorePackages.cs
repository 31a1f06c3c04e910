namespace Shop.PackageReadmes;

// src/Kobbopay.EventStore.Sqlite/README.md and src/Kobbopay.EventStore.PostgreSql/README.md: each package's use.
public static class EventStorePackages
{
    public static void UseSqlite(WebApplicationBuilder builder)
    {
        // snippet: sqlite
        builder.Services.AddKobbopayWebhooks(builder.Configuration.GetSection("Kobbopay:Webhooks"));
        builder.Services.AddKobbopaySqliteEventStore(builder.Configuration.GetSection("Kobbopay:Webhooks:Sqlite"));
        // "Kobbopay:Webhooks:Sqlite": { "ConnectionString": "Data Source=kobbopay-webhooks.db" }
        // end snippet
    }

    public static void UsePostgreSql(WebApplicationBuilder builder)
    {
        // snippet: postgresql
        builder.Services.AddKobbopayWebhooks(builder.Configuration.GetSection("Kobbopay:Webhooks"));
        builder.Services.AddKobbopayPostgreSqlEventStore(builder.Configuration.GetSection("Kobbopay:Webhooks:PostgreSql"));
        // "Kobbopay:Webhooks:PostgreSql": { "ConnectionString": "Host=…;Database=…;Username=…" }
        // end snippet
    }
}
