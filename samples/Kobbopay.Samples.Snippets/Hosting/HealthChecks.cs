namespace Shop;

public static class HealthChecks
{
    public static void Configure(WebApplicationBuilder builder, WebApplication app)
    {
        // snippet: health
        builder.Services.AddHealthChecks()
            .AddKobbopayHealthChecks(builder.Configuration.GetSection("Kobbopay:HealthChecks"), tags: ["ready"]);
        app.MapHealthChecks("/health"); // the overall status only; a writer of your own shows each check (see below)
        // end snippet
    }
}
