using System.Globalization;
using System.Text;
using Kobbopay.AspNetCore;
using Kobbopay.TestUtilities;
using Kobbopay.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Kobbopay.Benchmarks;

/// <summary>
/// The webhook endpoint on loopback, driven by wrk from build/bench.sh (not a BenchmarkDotNet class: wrk is the
/// load generator). <c>serve</c> hosts on 127.0.0.1 both <c>POST /bare</c> (reads the body, answers 200: the
/// baseline) and <c>POST /webhook</c> (MapKobbopayWebhooks with a no-op handler and the chosen event store);
/// <c>GET /stats</c> says how many events the handler saw, i.e. how many requests were fresh events. With
/// <c>--queued</c> the endpoint runs queued processing on the store's own inbox (UseQueuedProcessing): it answers once the
/// event is recorded, and the same handler runs later in the background worker, so <c>/stats</c> trails the answers.
/// <c>wrk-data</c> writes signed bodies with distinct event ids, one file per wrk thread, plus the Lua script that
/// cycles through them (and a one-line file for the "all duplicates" run).
/// </summary>
public static class WebhookEndpointBenchmark
{
    public const string Secret = "whsec_bench_wrk_secret_0123456789";
    private static long _handled;

    public static async Task ServeAsync(string[] args)
    {
        int port = int.Parse(Option(args, "--port") ?? "5089", CultureInfo.InvariantCulture);
        string store = Option(args, "--store") ?? "memory";
        bool queued = args.Contains("--queued");
        await using LoopbackHost server = await LoopbackHost.StartAsync(
            builder =>
            {
                KobbopayWebhooksBuilder webhooks = builder.Services.AddKobbopayWebhooks(o => o.Secrets.Add(Secret)).AddHandler<NoopHandler>();
                if (queued)
                {
                    webhooks.UseQueuedProcessing();
                }

                switch (store)
                {
                    case "memory":
                        break;
                    case "sqlite":
                        string path = Path.Combine(Path.GetTempPath(), "kobbopay-wrk-" + Guid.NewGuid().ToString("N") + ".db");
                        builder.Services.AddKobbopaySqliteEventStore(o => o.ConnectionString = "Data Source=" + path);
                        break;
                    case "postgres":
                        string cs = Environment.GetEnvironmentVariable("KOBBOPAY_POSTGRES") ?? throw new InvalidOperationException("KOBBOPAY_POSTGRES is not set.");
                        builder.Services.AddKobbopayPostgreSqlEventStore(o =>
                        {
                            o.ConnectionString = cs;
                            // Its own table when queued: the inline run before it recorded the same event ids.
                            o.TableName = queued ? "kobbopay_bench_wrk_queued_events" : "kobbopay_bench_wrk_events";
                        });
                        break;
                    default:
                        throw new ArgumentException("--store is memory, sqlite or postgres.");
                }
            },
            app =>
            {
                app.MapPost("/bare", async context =>
                {
                    await RequestBody.DrainAsync(context.Request);
                    context.Response.StatusCode = 200;
                });
                app.MapKobbopayWebhooks("/webhook");
                app.MapGet("/stats", () => Interlocked.Read(ref _handled).ToString(CultureInfo.InvariantCulture));
            },
            port,
            CancellationToken.None);
        Console.WriteLine($"serving {store}{(queued ? " (queued)" : "")} on {server.BaseAddress}");
        await server.WaitForShutdownAsync(); // SIGTERM/Ctrl+C, through the host's console lifetime
    }

    public static void WriteWrkData(string directory, int perThread)
    {
        Directory.CreateDirectory(directory);
        string run = Guid.NewGuid().ToString("N")[..8];
        for (int thread = 1; thread <= 2; thread++)
        {
            using StreamWriter writer = new(Path.Combine(directory, $"fresh-{thread}.txt"), false, new UTF8Encoding(false), 1 << 20);
            for (int i = 0; i < perThread; i++)
            {
                WriteLine(writer, $"evt_{run}_{thread}_{i:D7}");
            }
        }

        using (StreamWriter dup = new(Path.Combine(directory, "dup.txt"), false, new UTF8Encoding(false)))
        {
            WriteLine(dup, $"evt_{run}_dup");
        }

        File.WriteAllText(Path.Combine(directory, "bodies.lua"), Lua);
    }

    private static void WriteLine(StreamWriter writer, string eventId)
    {
        byte[] body = BenchData.EventBody(eventId);
        writer.Write(HmacSha256HexSignatureScheme.ComputeSignature(body, Secret));
        writer.Write('\t');
        writer.Write(Encoding.UTF8.GetString(body));
        writer.Write('\n');
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed class NoopHandler : IKobbopayWebhookHandler
    {
        public Task HandleAsync(KobbopayWebhookContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _handled);
            return Task.CompletedTask;
        }
    }

    private const string Lua = """
        -- Cycles each wrk thread through its own file of signed bodies (distinct event ids).
        -- Environment: WRK_DATA (directory), WRK_PATH (/webhook or /bare), WRK_MODE (fresh or dup).
        local counter = 0
        function setup(thread)
          counter = counter + 1
          thread:set("tid", counter)
        end
        function init(args)
          local dir = os.getenv("WRK_DATA")
          mode = os.getenv("WRK_MODE") or "fresh"
          path = os.getenv("WRK_PATH") or "/webhook"
          local name = (mode == "dup") and (dir .. "/dup.txt") or (dir .. "/fresh-" .. tid .. ".txt")
          f = assert(io.open(name, "r"))
          cached = nil
          if mode == "dup" then cached = f:read("*l") end
        end
        function request()
          local line = cached
          if line == nil then
            line = f:read("*l")
            if line == nil then
              f:seek("set", 0)
              line = f:read("*l")
            end
          end
          local tab = line:find("\t", 1, true)
          return wrk.format("POST", path, { ["Content-Type"] = "application/json", ["x-signature"] = line:sub(1, tab - 1) }, line:sub(tab + 1))
        end
        """;
}
