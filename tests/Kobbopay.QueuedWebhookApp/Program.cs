// A merchant app in queued mode, for the crash test: Kobbopay webhooks on /webhook, the SQLite event store and inbox
// in the file given, and a handler that appends each event's id to a runs file (one line per run, no dedupe, so a
// second run of an event shows). With --complete-first N, runs after the first N of this process block forever
// before their effect, so a kill finds the worker mid-batch. With --inline true, the handler runs inside the request
// (no queue): the SQLite event store's begin and complete on the delivery's own path.
//   dotnet Kobbopay.QueuedWebhookApp.dll --db FILE --runs FILE --secret S [--complete-first N] [--lease-seconds S] [--inline true]
using Kobbopay.AspNetCore;
using Kobbopay.QueuedWebhookApp;

Dictionary<string, string> options = [];
for (int i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
builder.Services.AddSingleton(new RunLog(options["--runs"], options.TryGetValue("--complete-first", out string? n) ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : int.MaxValue));
builder.Services.AddKobbopaySqliteEventStore(o => o.ConnectionString = $"Data Source={options["--db"]}");
KobbopayWebhooksBuilder webhooks = builder.Services.AddKobbopayWebhooks(o =>
{
    o.Secrets.Add(options["--secret"]);
    o.LeaseDuration = TimeSpan.FromSeconds(options.TryGetValue("--lease-seconds", out string? s) ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 60);
})
    .AddHandler<RecordingHandler>();
if (!options.ContainsKey("--inline"))
{
    webhooks.UseQueuedProcessing(o => o.PollInterval = TimeSpan.FromMilliseconds(200));
}

WebApplication app = builder.Build();
app.MapKobbopayWebhooks("/webhook");
await app.StartAsync();
Console.WriteLine("LISTENING " + app.Urls.First());
await app.WaitForShutdownAsync();
