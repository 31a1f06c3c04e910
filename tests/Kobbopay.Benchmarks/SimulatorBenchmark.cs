using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Kobbopay.Simulator;
using Kobbopay.TestUtilities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kobbopay.Benchmarks;

/// <summary>
/// The simulator (KobbopaySimulator.StartAsync), measured by a program mode rather than BenchmarkDotNet because the
/// figures are sustained rates and a heap size, not per-call times: payments created per second over HTTP by 32
/// parallel callers, webhooks delivered per second to a local no-op receiver, and managed memory growth after
/// 100,000 payments (GC.GetTotalMemory(true) before and after; if the time box stops creation early the figure is
/// extrapolated linearly and labelled so). The callers run in the same process on the same two cores.
/// </summary>
public static class SimulatorBenchmark
{
    private const int Workers = 32;
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public static async Task RunAsync(string[] args)
    {
        string output = args.Length > 0 ? args[0] : "simulator.json";
        int target = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        double maxSeconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 40;
        double webhookSeconds = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 5;
        Dictionary<string, object> results = [];

        // Phase 1: payments/s and memory, no webhook endpoint.
        await using (KobbopaySimulator sim = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions { RecordedRequestCapacity = 1000 }))
        {
            using HttpClient http = NewClient(sim);
            await CreateAsync(http, 200, TimeSpan.FromSeconds(10)); // warm up
            long before = GC.GetTotalMemory(true);
            int warm = sim.PaymentCount;
            Stopwatch sw = Stopwatch.StartNew();
            int created = await CreateAsync(http, target, TimeSpan.FromSeconds(maxSeconds));
            double seconds = sw.Elapsed.TotalSeconds;
            long after = GC.GetTotalMemory(true);
            double perPayment = (after - before) / (double)Math.Max(1, created);
            results["payments_created"] = created;
            results["payments_seconds"] = seconds;
            results["payments_per_second"] = created / seconds;
            results["memory_before_bytes"] = before;
            results["memory_after_bytes"] = after;
            results["memory_bytes_per_payment"] = perPayment;
            results["memory_after_100k_bytes"] = created >= 100_000 ? after - before : perPayment * 100_000;
            results["memory_extrapolated"] = created < 100_000;
            results["journal_capacity"] = 1000;
            results["simulator_payment_count"] = sim.PaymentCount - warm;
        }

        // Phase 2: webhooks delivered/s to a no-op receiver (one payment.created event per payment).
        long received = 0;
        await using LoopbackHost receiver = await LoopbackHost.StartAsync(
            app => app.MapPost("/hook", async context =>
            {
                await RequestBody.DrainAsync(context.Request);
                Interlocked.Increment(ref received);
            }),
            CancellationToken.None);
        await using (KobbopaySimulator sim = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions { RecordedRequestCapacity = 1000 }))
        {
            sim.AddWebhookEndpoint(receiver.Url("/hook"), "whsec_bench_sim_secret_0123456789");
            using HttpClient http = NewClient(sim);
            Stopwatch sw = Stopwatch.StartNew();
            int created = await CreateAsync(http, int.MaxValue, TimeSpan.FromSeconds(webhookSeconds));
            double createSeconds = sw.Elapsed.TotalSeconds;
            using CancellationTokenSource idle = new(TimeSpan.FromSeconds(60));
            try
            {
                await sim.WhenWebhooksIdleAsync(idle.Token);
            }
            catch (OperationCanceledException)
            {
                results["webhooks_idle_timeout"] = true;
            }

            double seconds = sw.Elapsed.TotalSeconds;
            long delivered = Interlocked.Read(ref received);
            results["webhook_payments_created"] = created;
            results["webhook_payments_per_second"] = created / createSeconds;
            results["webhooks_delivered"] = delivered;
            results["webhooks_seconds"] = seconds;
            results["webhooks_per_second"] = delivered / seconds;
        }

        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(results, SimulatorJsonContext.Default.DictionaryStringObject));
        Console.WriteLine(File.ReadAllText(output));
    }

    private static HttpClient NewClient(KobbopaySimulator sim) => NewClient(sim.BaseAddress, sim.TestApiKey);

    /// <summary>An HTTP client for <see cref="CreateAsync"/>: one connection per caller, the API key on every request.</summary>
    internal static HttpClient NewClient(Uri baseAddress, string apiKey)
    {
        HttpClient http = new(new SocketsHttpHandler { MaxConnectionsPerServer = Workers }) { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", apiKey);
        return http;
    }

    /// <summary>
    /// Creates up to <paramref name="count"/> payments of 10.00 USDT by 32 parallel callers, for orders
    /// <c>{run}-1</c>, <c>{run}-2</c>… (<paramref name="run"/> is random when left out), until the count or the time
    /// limit is reached; returns how many were created.
    /// </summary>
    internal static async Task<int> CreateAsync(HttpClient http, int count, TimeSpan limit, string? run = null)
    {
        int next = 0;
        int done = 0;
        Stopwatch sw = Stopwatch.StartNew();
        run ??= Guid.NewGuid().ToString("N")[..8];
        async Task Worker()
        {
            while (sw.Elapsed < limit)
            {
                int i = Interlocked.Increment(ref next);
                if (i > count)
                {
                    return;
                }

                string orderId = run + "-" + i.ToString(CultureInfo.InvariantCulture);
                using HttpRequestMessage request = new(HttpMethod.Post, "v1/payments")
                {
                    Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"amount\":\"10.00\",\"currency\":\"USDT\",\"network\":\"example-network\",\"orderId\":\"" + orderId + "\"}")) { Headers = { ContentType = Json } },
                };
                request.Headers.Add("Idempotency-Key", orderId);
                using HttpResponseMessage response = await http.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"Create answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                Interlocked.Increment(ref done);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(Worker)));
        return done;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
[System.Text.Json.Serialization.JsonSerializable(typeof(long))]
[System.Text.Json.Serialization.JsonSerializable(typeof(double))]
[System.Text.Json.Serialization.JsonSerializable(typeof(bool))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<Dictionary<string, object>>))]
internal sealed partial class SimulatorJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
