using System.Diagnostics.Tracing;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Kobbopay.Sdk;
using Kobbopay.Sdk.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kobbopay.Benchmarks;

/// <summary>
/// Where the bytes of one create+get go, layer by layer: every variant runs against an in-memory handler that answers
/// the canned payment at once, so each call completes on the calling thread and
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> sees all of it. A probe handler between every two handlers of the
/// client's real DI chain reads the counter on the way in and on the way out; the difference between neighbours is
/// what that layer allocated. Variants: raw HttpClient + System.Text.Json, Refit alone, the client over Refit without
/// handlers, and the client as <c>AddKobbopayClient</c> builds it. A runtime EventListener samples the allocated types
/// (GCAllocationTick, about one sample per 100 KB) to name what each variant allocates.
/// Usage: <c>client-allocs OUT.json [calls]</c>.
/// </summary>
internal static class ClientAllocationTrace
{
    public static async Task RunAsync(string[] args)
    {
        string output = args[0];
        int calls = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        byte[] json = ClientBenchmark.CannedJson();
        Uri address = new("http://127.0.0.1:5999/");

        Dictionary<string, object> results = [];
        await RunVariantsAsync(results, string.Empty, calls, json, address);

        // Again with a transport that answers later, as a socket does: every async layer then suspends and keeps its
        // state machine on the heap, which a transport answering at once spares them. Totals only (the probes see the
        // synchronous part of each layer).
        CannedHandler.Deferred = true;
        await RunVariantsAsync(results, "suspending:", calls, json, address);

        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine(await File.ReadAllTextAsync(output));
    }

    private static async Task RunVariantsAsync(Dictionary<string, object> results, string prefix, int calls, byte[] json, Uri address)
    {
        ClientBenchmark raw = new();

        // Raw HttpClient + STJ: the benchmark's own baseline method over the in-memory handler.
        Probe rawProbe = new("transport") { InnerHandler = new CannedHandler(json) };
        HttpClient rawHttp = new(rawProbe) { BaseAddress = address };
        rawHttp.DefaultRequestHeaders.Add("x-api-key", "kp_test_bench_0000000000");
        raw.UseRawClient(rawHttp);
        results[prefix + "raw"] = await MeasureAsync(calls, raw.RawCreateThenGet, [rawProbe]);

        // Refit alone over the same HttpClient shape.
        Probe refitProbe = new("transport") { InnerHandler = new CannedHandler(json) };
        Refit.RefitSettings settings = Refit.RefitSettings.ForJsonContext(KobbopayJsonContext.Default);
        settings.RequestBodySerialization = Refit.RequestBodySerializationMode.Buffered;
        IKobbopayApi refit = Refit.RestService.ForGenerated<IKobbopayApi>(new HttpClient(refitProbe) { BaseAddress = address }, settings);
        int order = 0;
        results[prefix + "refit"] = await MeasureAsync(calls, async () =>
        {
            CreatePaymentRequest request = new() { Amount = 10m, Currency = "USDT", Network = "example-network", OrderId = "order-" + (++order).ToString(CultureInfo.InvariantCulture) };
            using var created = await refit.CreatePaymentAsync(request, Guid.NewGuid().ToString("N"), default);
            using var got = await refit.GetPaymentAsync(created.Content!.Id, default);
            return got.Content!.Id;
        }, [refitProbe]);

        // The client over Refit, no handler chain: the client's own mapping.
        Probe bareProbe = new("transport") { InnerHandler = new CannedHandler(json) };
        KobbopayClient bare = new(Refit.RestService.ForGenerated<IKobbopayApi>(new HttpClient(bareProbe) { BaseAddress = address }, settings), new KobbopayClientOptions(), NullLogger.Instance, TimeProvider.System);
        results[prefix + "client-without-handlers"] = await MeasureAsync(calls, () => CreateThenGetAsync(bare, ref order), [bareProbe]);

        // The client as AddKobbopayClient builds it, a probe between every two handlers.
        List<Probe> probes = [];
        ServiceCollection services = new();
        services.AddKobbopayClient(o => { o.BaseAddress = address; o.ApiKey = "kp_test_bench_0000000000"; })
            .ConfigurePrimaryHttpMessageHandler(() => new CannedHandler(json))
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
            {
                probes.Clear();
                List<DelegatingHandler> chain = [.. handlers];
                handlers.Clear();
                foreach (DelegatingHandler handler in chain)
                {
                    Probe probe = new(handler.GetType().Name);
                    probes.Add(probe);
                    handlers.Add(probe);
                    handlers.Add(handler);
                }

                Probe transport = new("transport");
                probes.Add(transport);
                handlers.Add(transport);
            });
        await using ServiceProvider provider = services.BuildServiceProvider();
        KobbopayClient full = provider.GetRequiredService<KobbopayClient>();
        results[prefix + "client"] = await MeasureAsync(calls, () => CreateThenGetAsync(full, ref order), probes);
    }

    private static Task<string> CreateThenGetAsync(KobbopayClient client, ref int order)
    {
        CreatePaymentRequest request = new() { Amount = 10m, Currency = "USDT", Network = "example-network", OrderId = "order-" + (++order).ToString(CultureInfo.InvariantCulture) };
        return Run(client, request);

        static async Task<string> Run(KobbopayClient client, CreatePaymentRequest request)
        {
            Payment created = await client.CreatePaymentAsync(request);
            return (await client.GetPaymentAsync(created.Id)).Id;
        }
    }

    /// <summary>Runs <paramref name="call"/> <paramref name="calls"/> times after a warm-up; bytes per create+get, in total and per layer.</summary>
    private static async Task<object> MeasureAsync(int calls, Func<Task<string>> call, IReadOnlyList<Probe> probes)
    {
        for (int i = 0; i < 2_000; i++)
        {
            await Pump(call());
        }

        foreach (Probe probe in probes)
        {
            probe.Reset();
        }

        using AllocationSampler sampler = new();
        long total = 0;
        for (int i = 0; i < calls; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Task<string> task = Pump(call());
            long after = GC.GetAllocatedBytesForCurrentThread();
            if (!task.IsCompleted)
            {
                throw new InvalidOperationException("A call did not complete on the calling thread; the per-thread counter would miss bytes.");
            }

            total += after - before;
            await task;
        }

        // What each layer allocated: between a probe's entry and the next one's, and between the next one's exit and its own.
        List<object> layers = [];
        for (int i = 0; i < (CannedHandler.Deferred ? 0 : probes.Count); i++)
        {
            Probe p = probes[i];
            long inside = p.Inside;
            if (i == 0)
            {
                layers.Add(new { layer = "above the handlers (caller, client, Refit, HttpClient)", bytes = (double)(total - inside) / calls });
            }

            long below = i + 1 < probes.Count ? probes[i + 1].Inside : 0;
            layers.Add(new { layer = p.Name, bytes = (double)(inside - below) / calls });
        }

        return new
        {
            bytesPerCreateGet = (double)total / calls,
            layers,
            sampledTypes = sampler.Top(25),
            samples = sampler.Count,
        };
    }

    /// <summary>Completes the deferred answers on this thread until the call is done (their continuations run inline).</summary>
    private static Task<string> Pump(Task<string> task)
    {
        while (!task.IsCompleted && CannedHandler.Pending.TryDequeue(out (TaskCompletionSource<HttpResponseMessage> Answer, HttpResponseMessage Response) next))
        {
            next.Answer.SetResult(next.Response);
        }

        return task;
    }

    /// <summary>Answers every request with the canned payment (201 to a POST, 200 to a GET): at once, or when pumped.</summary>
    private sealed class CannedHandler(byte[] json) : HttpMessageHandler
    {
        private static readonly MediaTypeHeaderValue Json = new("application/json");

        public static bool Deferred { get; set; }

        public static Queue<(TaskCompletionSource<HttpResponseMessage> Answer, HttpResponseMessage Response)> Pending { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = new(request.Method == HttpMethod.Post ? HttpStatusCode.Created : HttpStatusCode.OK)
            {
                RequestMessage = request,
                Content = new ByteArrayContent(json) { Headers = { ContentType = Json } },
            };
            if (!Deferred)
            {
                return Task.FromResult(response);
            }

            TaskCompletionSource<HttpResponseMessage> answer = new();
            Pending.Enqueue((answer, response));
            return answer.Task;
        }
    }

    /// <summary>Adds up the bytes the current thread allocated inside it (it allocates none itself: the inner task is returned as it is).</summary>
    private sealed class Probe(string name) : DelegatingHandler
    {
        public string Name { get; } = name;

        public long Inside { get; private set; }

        public void Reset() => Inside = 0;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Task<HttpResponseMessage> task = base.SendAsync(request, cancellationToken);
            Inside += GC.GetAllocatedBytesForCurrentThread() - before;
            return task;
        }
    }

    /// <summary>The runtime's GCAllocationTick events: the type of about one allocation per 100 KB, counted by name.</summary>
    private sealed class AllocationSampler : EventListener
    {
        private readonly Dictionary<string, int> _types = [];
        private EventSource? _runtime;
        private bool _on;

        public AllocationSampler()
        {
            _on = true;
            if (_runtime is not null)
            {
                EnableEvents(_runtime, EventLevel.Verbose, (EventKeywords)0x1);
            }
        }

        public int Count { get; private set; }

        public List<object> Top(int n)
        {
            _on = false;
            lock (_types)
            {
                return [.. _types.OrderByDescending(t => t.Value).Take(n).Select(t => new { type = t.Key, share = Math.Round((double)t.Value / Count, 3) })];
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                _runtime = eventSource;
                if (_on)
                {
                    EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
                }
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (!_on || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
            {
                return;
            }

            int index = eventData.PayloadNames?.IndexOf("TypeName") ?? -1;
            string type = index >= 0 ? eventData.Payload[index] as string ?? "?" : "?";
            lock (_types)
            {
                _types[type] = _types.GetValueOrDefault(type) + 1;
                Count++;
            }
        }
    }
}
