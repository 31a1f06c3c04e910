using System.Net.Http.Headers;
using System.Text;

namespace Kobbopay.Simulator.Tests;

/// <summary>
/// Text that cannot become a string (bytes that are not UTF-8 inside a JSON string, an escaped surrogate without its
/// pair) answers 400 naming the field on every route that reads a body, never 500, and changes nothing.
/// </summary>
public sealed class MalformedTextTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private static readonly byte[] InvalidUtf8 = [0xDA];

    private KobbopaySimulator Sim0 => fixture.Simulator;

    // method, path, a valid body with the marker <X> where the bad text goes (always inside a string)
    private static readonly (string Method, string Path, string Template)[] Bodies =
    [
        ("POST", "v1/payments", """{"amount":"10.50","currency":"USDT","network":"examp<X>e-network","orderId":"o-1"}"""),
        ("POST", "v1/payments", """{"amount":"10.50","currency":"USDT","network":"example-network","orderId":"o-1","metadata":{"k":"v<X>"}}"""),
        ("PUT", "_sim/faults", """{"seed":1,"internalErrorRate":0,"note":"<X>"}"""),
        ("POST", "_sim/webhook-endpoints", """{"url":"http://127.0.0.1:1/h<X>"}"""),
    ];

    public static TheoryData<string, string, string> Routes()
    {
        TheoryData<string, string, string> data = [];
        foreach ((string method, string path, string template) in Bodies)
        {
            data.Add(method, path, template);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task InvalidUtf8InsideAString_Is400NamingTheField(string method, string path, string template)
    {
        byte[] body = Bytes(template, InvalidUtf8);

        ApiResponse response = await SendAsync(method, path, body);

        response.ShouldBeError(400, "invalid_request").Str("param").ShouldBe(ExpectedField(template));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task AnUnpairedSurrogateEscape_Is400NamingTheField(string method, string path, string template)
    {
        byte[] body = Bytes(template, Encoding.ASCII.GetBytes("\\ud800x"));

        ApiResponse response = await SendAsync(method, path, body);

        response.ShouldBeError(400, "invalid_request").Str("param").ShouldBe(ExpectedField(template));
    }

    [Fact]
    public async Task InvalidUtf8InAPropertyName_Is400_AndCreatesNothing()
    {
        int before = Sim0.PaymentCount;
        byte[] body = Bytes("""{"amount":"10.50","currency":"USDT","network":"example-network","orderId":"o-1","metadata":{"k<X>":"v"}}""", InvalidUtf8);

        ApiResponse response = await SendAsync("POST", "v1/payments", body);

        response.ShouldBeError(400, "invalid_request").Str("param").ShouldBe("metadata.(a property name)");
        Sim0.PaymentCount.ShouldBe(before);
    }

    [Fact]
    public async Task ThousandsOfMutatedBodies_NeverGetA5xx()
    {
        // A seeded mutation run over the routes that read bodies: flipped, dropped, duplicated and foreign bytes,
        // escapes and surrogates spliced into valid bodies. Every answer is a contract answer below 500.
        Random random = new(20261130);
        byte[][] splices = [[0xDA], [0xFF], [0xC3], [0xED, 0xA0, 0x80], "\\ud800"u8.ToArray(), "\\udc00\\ud800"u8.ToArray(), "\\u0000"u8.ToArray(), "\""u8.ToArray(), "{"u8.ToArray(), "\\"u8.ToArray()];
        (string Method, string Path, byte[] Body)[] seeds =
        [
            .. Bodies.Select(b => (b.Method, b.Path, Bytes(b.Template, "x"u8.ToArray()))),
            ("POST", "_sim/clock/advance", """{"seconds":60}"""u8.ToArray()),
        ];
        List<string> fivexx = [];
        int before = Sim0.PaymentCount;
        int created = 0;
        for (int i = 0; i < 1_500; i++)
        {
            (string method, string path, byte[] seed) = seeds[random.Next(seeds.Length)];
            byte[] body = Mutate(seed, random, splices);
            ApiResponse response = await SendAsync(method, path, body);
            if (response.Status >= 500)
            {
                fivexx.Add($"{method} {path} {Convert.ToHexString(body)} -> {response.Status} {response.Body}");
            }

            if (path == "v1/payments" && response.Status == 201)
            {
                created++;
            }
        }

        fivexx.ShouldBeEmpty();
        (Sim0.PaymentCount - before).ShouldBe(created);
    }

    private static string ExpectedField(string template) => template switch
    {
        _ when template.Contains("\"metadata\"", StringComparison.Ordinal) => "metadata.k",
        _ when template.Contains("\"note\"", StringComparison.Ordinal) => "note",
        _ when template.Contains("\"url\"", StringComparison.Ordinal) => "url",
        _ => "network",
    };

    private static byte[] Bytes(string template, byte[] insert)
    {
        int at = template.IndexOf("<X>", StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(template[..at]), .. insert, .. Encoding.UTF8.GetBytes(template[(at + 3)..])];
    }

    private static byte[] Mutate(byte[] seed, Random random, byte[][] splices)
    {
        List<byte> body = [.. seed];
        for (int n = random.Next(1, 4); n > 0 && body.Count > 0; n--)
        {
            int at = random.Next(body.Count);
            switch (random.Next(4))
            {
                case 0:
                    body[at] = (byte)random.Next(256);
                    break;
                case 1:
                    body.RemoveAt(at);
                    break;
                case 2:
                    body.Insert(at, body[at]);
                    break;
                default:
                    body.InsertRange(at, splices[random.Next(splices.Length)]);
                    break;
            }
        }

        return [.. body];
    }

    private async Task<ApiResponse> SendAsync(string method, string path, byte[] body)
    {
        using HttpClient client = Sim0.CreateClient();
        HttpRequestMessage request = new(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (path == "v1/payments")
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", "key-" + Guid.NewGuid().ToString("N"));
        }

        return await client.SendApiAsync(request, Sim.Ct);
    }
}
