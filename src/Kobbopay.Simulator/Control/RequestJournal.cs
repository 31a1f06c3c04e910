using System.Globalization;
using System.Text;
using WireMock.Logging;
using WireMock.Server;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// The simulator's one request journal: WireMock's own (what <c>GET /__admin/requests</c> lists), bounded by
/// <see cref="KobbopaySimulatorOptions.RecordedRequestCapacity"/> (WireMock's <c>MaxRequestLogCount</c>). Each request
/// that passes the simulator's edge carries an <see cref="Header"/> header with what WireMock cannot know (the order it
/// arrived in, the simulated time, the environment, the injected fault and the request id); this class reads
/// <see cref="RecordedRequest"/> back from those entries for <c>sim.Requests</c> and <c>GET /_sim/requests</c>.
/// </summary>
internal sealed class RequestJournal
{
    /// <summary>The request header the edge adds: <c>seq=17; at=2026-01-01T00:00:00.0000000+00:00; id=req_…; env=test; fault=rate_limited</c>.</summary>
    public const string Header = "X-Kobbopay-Sim";

    private const int RecordedBodyLimit = 4096;
    private long _sequence;

    private readonly Lock _trimGate = new();
    private int _capacity;
    private int _batch = 1;
    private int _sinceTrim;

    /// <summary>Gets the server whose journal this is (set once it has started).</summary>
    public WireMockServer? Server { get; private set; }

    /// <summary>
    /// What to set as WireMock's <c>MaxRequestLogCount</c> for a capacity: none (the journal bounds itself) unless the
    /// capacity is 0. WireMock's own bound copies and sorts the whole journal after every request
    /// (wiremock/WireMock.Net#1429), which halved the simulator's throughput; <see cref="Trim"/> drops the oldest instead,
    /// in batches.
    /// </summary>
    public static int? WireMockLimit(int capacity) => capacity == 0 ? 0 : null;

    /// <summary>Starts following the server's journal, keeping at most <paramref name="capacity"/> entries.</summary>
    public void Attach(WireMockServer server, int capacity)
    {
        _capacity = capacity;
        _batch = Math.Max(1, capacity / 16); // up to 1/16 over the capacity between trims; reads trim first
        Server = server;
    }

    /// <summary>Drops the oldest entries beyond the capacity, once every few requests (the edge calls it after each), or now when <paramref name="now"/>.</summary>
    public void Trim(bool now = false)
    {
        if (Server is not { } server || _capacity == 0 || (!now && Interlocked.Increment(ref _sinceTrim) < _batch))
        {
            return;
        }

        lock (_trimGate)
        {
            _sinceTrim = 0;
            IReadOnlyList<ILogEntry> entries = server.LogEntries; // in the order they were added
            for (int i = 0; i < entries.Count - _capacity; i++)
            {
                server.DeleteLogEntry(entries[i].Guid);
            }
        }
    }

    public long NextSequence() => Interlocked.Increment(ref _sequence);

    /// <summary>Formats the journal header of a request.</summary>
    public static string Describe(RequestState request)
    {
        StringBuilder text = new(96);
        text.Append("seq=").Append(request.Sequence.ToString(CultureInfo.InvariantCulture))
            .Append("; at=").Append(request.ReceivedAt.ToString("O", CultureInfo.InvariantCulture))
            .Append("; id=").Append(request.RequestId);
        if (request.Environment is { } env)
        {
            text.Append("; env=").Append(env.Name);
        }

        if (FaultInjector.Name(request.Fault) is { } fault)
        {
            text.Append("; fault=").Append(fault);
        }

        return text.ToString();
    }

    /// <summary>Gets the journal's requests that passed the simulator's edge, oldest first; the last <paramref name="last"/> when given.</summary>
    public IReadOnlyList<RecordedRequest> Snapshot(int? last = null)
    {
        if (Server is not { } server)
        {
            return [];
        }

        Trim(now: true);
        List<RecordedRequest> items = [];
        foreach (ILogEntry entry in server.LogEntries)
        {
            if (TryRead(entry) is { } request)
            {
                items.Add(request);
            }
        }

        items.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        return last is { } n && n < items.Count ? items[^n..] : items;
    }

    public void Clear() => Server?.ResetLogEntries();

    private static RecordedRequest? TryRead(ILogEntry entry)
    {
        var message = entry.RequestMessage;
        if (message?.Headers is not { } headers || !headers.TryGetValue(Header, out var values) || values.Count != 1)
        {
            return null;
        }

        long sequence = 0;
        DateTimeOffset at = default;
        string requestId = string.Empty;
        string? environment = null;
        string? fault = null;
        foreach (string part in values[0].Split("; "))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }

            string value = part[(eq + 1)..];
            switch (part[..eq])
            {
                case "seq": sequence = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "at": at = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind); break;
                case "id": requestId = value; break;
                case "env": environment = value; break;
                case "fault": fault = value; break;
            }
        }

        string? idempotencyKey = headers.TryGetValue(Kobbopay.Contracts.KobbopayHeaders.IdempotencyKey, out var keys) && keys.Count > 0 ? string.Join(',', keys) : null;
        byte[]? body = message.BodyAsBytes;
        string? bodyText = body is { Length: > 0 } ? Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, RecordedBodyLimit))) : null;
        bool dropped = fault is "drop_connection" or "response_loss";
        int status = dropped ? 0 : entry.ResponseMessage?.StatusCode switch
        {
            int code => code,
            System.Net.HttpStatusCode code => (int)code,
            string code when int.TryParse(code, CultureInfo.InvariantCulture, out int n) => n,
            _ => 0,
        };
        string query = message.RawQuery is { Length: > 0 } raw ? (raw.StartsWith('?') ? raw : "?" + raw) : string.Empty;
        return new RecordedRequest(sequence, at, message.Method, message.Path, query, environment, idempotencyKey, bodyText, status, fault, requestId);
    }
}
