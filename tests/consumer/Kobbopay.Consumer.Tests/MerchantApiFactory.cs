using Kobbopay.Consumer.MerchantApi;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kobbopay.Consumer.Tests;

/// <summary>The merchant app in memory (WebApplicationFactory), with its own webhook secret and a fresh SQLite event store.</summary>
public sealed class MerchantApiFactory : WebApplicationFactory<Program>
{
    /// <summary>The webhook secret this app verifies with.</summary>
    public const string Secret = "whsk_consumer_check_0123456789";

    private readonly string _directory = Directory.CreateTempSubdirectory("kobbopay-consumer-").FullName;

    /// <summary>Gets the app's orders.</summary>
    public OrderStore Orders => Services.GetRequiredService<OrderStore>();

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <inheritdoc/>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kobbopay:Webhooks:Secrets:0"] = Secret,
            ["Kobbopay:Webhooks:Sqlite:ConnectionString"] = "Data Source=" + Path.Combine(_directory, "webhooks.db"),
        }));
    }
}
