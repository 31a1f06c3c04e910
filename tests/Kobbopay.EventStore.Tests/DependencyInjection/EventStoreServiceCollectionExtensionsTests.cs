using Kobbopay.EventStore.PostgreSql;
using Kobbopay.EventStore.Sqlite;
using Kobbopay.EventStore.Tests.TestSupport;
using Kobbopay.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Kobbopay.EventStore.Tests.DependencyInjection;

public sealed class EventStoreServiceCollectionExtensionsTests(TempDirectory directory, PostgresSchemaFixture schema) : IClassFixture<TempDirectory>, IClassFixture<PostgresSchemaFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddKobbopaySqliteEventStore_from_configuration_replaces_the_in_memory_store()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kobbopay:Webhooks:Sqlite:ConnectionString"] = $"Data Source={directory.NextFile()}",
            ["Kobbopay:Webhooks:Sqlite:Retention"] = "5.00:00:00",
            ["Kobbopay:Webhooks:Sqlite:TableName"] = "shop_events",
        });
        builder.Services.AddSingleton<IWebhookEventStore>(new InMemoryWebhookEventStore());
        builder.Services.AddKobbopaySqliteEventStore(builder.Configuration.GetSection("Kobbopay:Webhooks:Sqlite"));
        using IHost host = builder.Build();
        await host.StartAsync(Ct);

        IWebhookEventStore store = host.Services.GetRequiredService<IWebhookEventStore>();
        SqliteWebhookEventStore sqlite = store.ShouldBeOfType<SqliteWebhookEventStore>();
        sqlite.ShouldBeSameAs(host.Services.GetRequiredService<SqliteWebhookEventStore>());
        sqlite.TableName.ShouldBe("shop_events");
        host.Services.GetRequiredService<IOptions<SqliteWebhookEventStoreOptions>>().Value.Retention.ShouldBe(TimeSpan.FromDays(5));
        (await store.TryBeginAsync("shop:evt_1", TimeSpan.FromMinutes(1), Ct)).Status.ShouldBe(WebhookBeginStatus.Began);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task A_missing_SQLite_connection_string_stops_the_host_at_start_naming_the_setting()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKobbopaySqliteEventStore(builder.Configuration.GetSection("Kobbopay:Webhooks:Sqlite"));
        using IHost host = builder.Build();

        OptionsValidationException refused = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        refused.Message.ShouldContain("Kobbopay:Webhooks:Sqlite:ConnectionString is required");
    }

    [Fact]
    public async Task A_missing_PostgreSQL_connection_string_stops_the_host_at_start_naming_the_setting()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKobbopayPostgreSqlEventStore(o => o.Retention = TimeSpan.FromHours(2));
        using IHost host = builder.Build();

        OptionsValidationException refused = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        refused.Message.ShouldContain("Kobbopay:Webhooks:PostgreSql:ConnectionString is required");
        refused.Message.ShouldContain("Kobbopay:Webhooks:PostgreSql:Retention must be at least 12 hours");
    }

    [Fact]
    public async Task AddKobbopayPostgreSqlEventStore_registers_the_PostgreSQL_store_as_the_event_store()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKobbopayPostgreSqlEventStore(o =>
        {
            o.ConnectionString = "Host=127.0.0.1;Database=shop;Username=shop;Password=hunter2";
            o.Schema = "shop";
        });
        using IHost host = builder.Build();
        await host.StartAsync(Ct); // nothing is opened before first use

        PostgreSqlWebhookEventStore store = host.Services.GetRequiredService<IWebhookEventStore>().ShouldBeOfType<PostgreSqlWebhookEventStore>();
        store.TableName.ShouldBe("shop.kobbopay_webhook_events");
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task Without_a_connection_string_the_PostgreSQL_store_uses_the_apps_NpgsqlDataSource_and_leaves_it_open()
    {
        string connectionString = PostgresDatabase.RequireConnectionString();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString)); // what AddNpgsqlDataSource(...) registers
        builder.Services.AddKobbopayPostgreSqlEventStore(o =>
        {
            o.Schema = schema.Schema;
            o.TableName = schema.NextTable("app_data_source");
            o.PurgeInterval = TimeSpan.Zero;
        });
        using IHost host = builder.Build();
        await host.StartAsync(Ct);

        NpgsqlDataSource appDataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        PostgreSqlWebhookEventStore store = host.Services.GetRequiredService<IWebhookEventStore>().ShouldBeOfType<PostgreSqlWebhookEventStore>();
        store.DataSource.ShouldBeSameAs(appDataSource);
        (await store.TryBeginAsync("shop:evt_1", TimeSpan.FromMinutes(1), Ct)).Status.ShouldBe(WebhookBeginStatus.Began);

        await store.DisposeAsync(); // the application owns its data source: the store leaves it open
        await using NpgsqlCommand ping = appDataSource.CreateCommand("SELECT 1");
        (await ping.ExecuteScalarAsync(Ct)).ShouldBe(1);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task AddKobbopayPostgreSqlEventStore_without_arguments_takes_the_registered_data_source_and_a_connection_string_wins_over_it()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create("Host=127.0.0.1;Database=app;Username=app;Password=hunter2"));
        builder.Services.AddKobbopayPostgreSqlEventStore();
        using (IHost host = builder.Build())
        {
            await host.StartAsync(Ct); // valid without a connection string; nothing is opened before first use

            PostgreSqlWebhookEventStore store = host.Services.GetRequiredService<IWebhookEventStore>().ShouldBeOfType<PostgreSqlWebhookEventStore>();
            store.DataSource.ShouldBeSameAs(host.Services.GetRequiredService<NpgsqlDataSource>());
            store.TableName.ShouldBe("public.kobbopay_webhook_events");
            await host.StopAsync(Ct);
        }

        builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create("Host=127.0.0.1;Database=app;Username=app;Password=hunter2"));
        builder.Services.AddKobbopayPostgreSqlEventStore(o => o.ConnectionString = "Host=127.0.0.1;Database=events;Username=shop;Password=hunter2");
        using (IHost host = builder.Build())
        {
            await host.StartAsync(Ct);

            PostgreSqlWebhookEventStore store = host.Services.GetRequiredService<PostgreSqlWebhookEventStore>();
            store.DataSource.ShouldNotBeSameAs(host.Services.GetRequiredService<NpgsqlDataSource>());
            new NpgsqlConnectionStringBuilder(store.DataSource.ConnectionString).Database.ShouldBe("events");
            await host.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task Neither_a_connection_string_nor_an_NpgsqlDataSource_stops_the_host_at_start_naming_both()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKobbopayPostgreSqlEventStore();
        using IHost host = builder.Build();

        OptionsValidationException refused = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        refused.Message.ShouldContain("Kobbopay:Webhooks:PostgreSql:ConnectionString is required");
        refused.Message.ShouldContain("NpgsqlDataSource");
    }
}
