using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Kobbopay.Simulator.Tests;

/// <summary>
/// A seeded FsCheck property over every route that reads a JSON body (<c>POST /v1/payments</c>, <c>PUT /_sim/faults</c>,
/// <c>POST /_sim/webhook-endpoints</c>, <c>POST /_sim/clock/advance</c>, <c>POST /_sim/payments/{id}/pay</c>): a valid
/// body mutated in its structure (a field repeated, of the wrong JSON type, nested deep, left out, a root that is not an
/// object) and then in its bytes (flipped, cut short, invalid UTF-8 such as 0xDA, 0xFF or 0xC0 inserted, an unpaired
/// surrogate escape such as <c>\ud800</c> inside a string) is always answered 2xx or 4xx, never 5xx, and every 4xx is the
/// contract's error body (<c>{"error":{"code","message","param","requestId"}}</c>) with the request's id.
/// </summary>
public sealed class MutatedBodyPropertyTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private const int CasesPerRoute = 200;

    /// <summary>The seed of every run: a failure names its case, and the same seed finds it again.</summary>
    private const ulong Seed = 20261201;

    /// <summary>The valid bodies, as ordered fields of raw JSON, so a mutation can repeat a field or give it any text.</summary>
    private static readonly Dictionary<string, Route> Routes = new()
    {
        ["create"] = new("POST", "v1/payments", 1,
            [("amount", "\"10.50\""), ("currency", "\"USDT\""), ("network", "\"example-network\""), ("orderId", "\"order-prop-1\""), ("metadata", """{"cart":"c-1","note":"gift"}"""), ("expiresInSeconds", "900")]),
        ["faults"] = new("PUT", "_sim/faults", 2,
            [("seed", "7"), ("internalErrorRate", "0"), ("unavailableRate", "0"), ("rateLimitRate", "0"), ("retryAfterSeconds", "1")]),
        ["webhook-endpoint"] = new("POST", "_sim/webhook-endpoints", 3,
            [("url", "\"http://127.0.0.1:9/hook\""), ("secret", "\"prop-secret-0123456789\""), ("scheme", "\"hmac-sha256-hex\""), ("environment", "\"test\"")]),
        ["clock-advance"] = new("POST", "_sim/clock/advance", 4, [("seconds", "60")]),
        ["pay"] = new("POST", "_sim/payments/{id}/pay", 5, [("amount", "\"4.25\""), ("txHash", "\"0xfeed\"")]),
    };

    /// <summary>JSON values of every type, some valid for some field, some at the edges of a type's range.</summary>
    private static readonly string[] Values =
    [
        "0", "1", "-1", "60", "1.5", "-0", "1E2", "1e400", "-1e400", "2147483648", "123456789012345678901234567890",
        "\"\"", "\"x\"", "\"10.50\"", "\"60\"", "\"http://127.0.0.1:9/other\"", "\"standard-webhooks\"", "\"\\u0000\"",
        "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"" + new string('a', 600) + "\"",
        "true", "false", "null", "[]", "[1,\"a\"]", "{}", """{"a":{"b":[1]}}""",
    ];

    /// <summary>Bytes that are not UTF-8 (lead bytes without their continuation, continuation bytes alone, overlongs, an encoded surrogate), and a few that are but should not be there.</summary>
    private static readonly byte[][] InvalidUtf8 =
    [
        [0xDA], [0xFF], [0xC0], [0xC0, 0x80], [0xC3], [0x80], [0xFE, 0xFF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xEF, 0xBB, 0xBF], [0x00],
    ];

    /// <summary>Escapes that cannot become a string (unpaired surrogates) or are not escapes at all, for inside a string.</summary>
    private static readonly string[] BadEscapes = ["\\ud800", "\\udc00", "\\ud800\\u0041", "\\udbff\\udbff", "\\ud800x", "\\u12", "\\x", "\\"];

    private static readonly string[] RootTexts = ["[]", "null", "\"body\"", "1", "true", "[{}]", "{", "}", ""];

    private KobbopaySimulator Sim0 => fixture.Simulator;

    [Theory]
    [InlineData("create")]
    [InlineData("faults")]
    [InlineData("webhook-endpoint")]
    [InlineData("clock-advance")]
    [InlineData("pay")]
    public void AMutatedBody_IsAnswered2xxOr4xx_AndEvery4xxIsTheContractErrorBody(string routeName)
    {
        Route route = Routes[routeName];
        Config config = Config.QuickThrowOnFailure
            .WithMaxTest(CasesPerRoute)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(Seed + route.SeedOffset), FSharpOption<int>.None)));

        Check.One(config, Prop.ForAll(Arb.From(CaseGen(route)), c => SendAsync(route, c)));
    }

    [Fact]
    public void TheGenerator_IsSeeded_SoARunCanBeReplayed()
    {
        Route route = Routes["create"];

        string[] first = [.. CaseGen(route).Sample(20, new Rnd(Seed), 50).Select(c => c.ToString())];
        string[] second = [.. CaseGen(route).Sample(20, new Rnd(Seed), 50).Select(c => c.ToString())];

        second.ShouldBe(first);
        first.Distinct().Count().ShouldBeGreaterThan(15, "the mutations vary");
    }

    private static Gen<Case> CaseGen(Route route)
    {
        int fields = route.Fields.Length;
        Gen<Shape> shape = Gen.Frequency(
            (3, Gen.Constant(Shape.None)),
            (3, from f in Gen.Choose(0, fields - 1) from v in Gen.Elements(Values) select new Shape("repeat", f, v)),
            (4, from f in Gen.Choose(0, fields - 1) from v in Gen.Elements(Values) select new Shape("replace", f, v)),
            (1, from f in Gen.Choose(0, fields - 1) select new Shape("remove", f, string.Empty)),
            (1, from v in Gen.Elements(Values) select new Shape("unknown", 0, v)),
            (1, from f in Gen.Choose(0, fields - 1) from depth in Gen.Choose(1, 300) select new Shape("nest", f, depth.ToString(CultureInfo.InvariantCulture))),
            (1, from r in Gen.Elements(RootTexts) select new Shape("root", 0, r)));
        Gen<Edit> edit = Gen.Frequency(
            (3, from at in Gen.Choose(0, 999) from mask in Gen.Choose(1, 255) select new Edit("flip", at, [(byte)mask])),
            (1, from at in Gen.Choose(0, 999) select new Edit("truncate", at, [])),
            (3, from at in Gen.Choose(0, 999) from bytes in Gen.Elements(InvalidUtf8) select new Edit("insert", at, bytes)),
            (3, from at in Gen.Choose(0, 999) from bytes in Gen.Elements(InvalidUtf8) select new Edit("insert-in-string", at, bytes)),
            (3, from at in Gen.Choose(0, 999) from escape in Gen.Elements(BadEscapes) select new Edit("insert-in-string", at, Encoding.ASCII.GetBytes(escape))),
            (1, from at in Gen.Choose(0, 999) from length in Gen.Choose(1, 12) select new Edit("duplicate", at, [(byte)length])));
        return from s in shape
               from count in Gen.Frequency((2, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Choose(2, 3)))
               from edits in Gen.ArrayOf(edit, count)
               select new Case(route, s, edits);
    }

    private async Task<bool> SendAsync(Route route, Case c)
    {
        Sim0.Reset();
        using HttpClient client = Sim0.CreateClient();
        string path = route.Path;
        if (path.Contains("{id}", StringComparison.Ordinal))
        {
            path = path.Replace("{id}", (await Payments.CreateAsync(client)).Str("id")!, StringComparison.Ordinal);
        }

        byte[] body = c.Body();
        using HttpRequestMessage request = new(new HttpMethod(route.Method), path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        ApiResponse response;
        try
        {
            response = await client.SendApiAsync(request, Sim.Ct);
        }
        finally
        {
            await UndoAsync(client);
        }

        string what = $"{route.Method} /{path} with {c} answered {response.Status} {response.Body}";
        response.Status.ShouldBeInRange(200, 499, what);
        response.Status.ShouldNotBeInRange(300, 399, what);
        if (response.Status >= 400)
        {
            JsonElement error = JsonDocument.Parse(response.Body).RootElement.Prop("error");
            error.Str("code").ShouldNotBeNullOrWhiteSpace(what);
            error.Str("message").ShouldNotBeNullOrWhiteSpace(what);
            error.Str("requestId").ShouldBe(response.RequestId, what);
        }

        return true;
    }

    /// <summary>Takes back what a mutated body may have configured: faults (a rate of 1 would answer every later /v1 call 500) and webhook endpoints (whose address a mutation may have changed).</summary>
    private async Task UndoAsync(HttpClient client)
    {
        Sim0.Faults = SimulatorFaultOptions.None;
        foreach (SimulatedWebhookEndpoint endpoint in Sim0.WebhookEndpoints)
        {
            (await client.DeleteApiAsync($"_sim/webhook-endpoints/{endpoint.Id}", Sim.Ct)).Status.ShouldBe(204);
        }
    }

    /// <summary>A route and its valid body, as ordered fields of raw JSON.</summary>
    private sealed record Route(string Method, string Path, ulong SeedOffset, (string Name, string Json)[] Fields);

    /// <summary>A change to the body's structure: <c>repeat</c>, <c>replace</c> or <c>remove</c> a field, add an <c>unknown</c> one, <c>nest</c> a field's value in arrays, or a <c>root</c> that is not the object.</summary>
    private sealed record Shape(string Kind, int Field, string Value)
    {
        public static readonly Shape None = new("none", 0, string.Empty);

        public override string ToString() => Kind switch
        {
            "none" => "none",
            "remove" => $"remove #{Field}",
            "root" => $"root {Value}",
            "unknown" => $"unknown {Shorten(Value)}",
            _ => $"{Kind} #{Field} {Shorten(Value)}",
        };
    }

    /// <summary>A change to the body's bytes, at a position given in thousandths of the body's length.</summary>
    private sealed record Edit(string Kind, int At, byte[] Bytes)
    {
        public override string ToString() => $"{Kind}@{At}/1000 {Convert.ToHexString(Bytes)}";
    }

    private sealed record Case(Route Route, Shape Shape, Edit[] Edits)
    {
        public byte[] Body()
        {
            List<byte> body = [.. Encoding.UTF8.GetBytes(Text())];
            foreach (Edit edit in Edits)
            {
                int at = body.Count * edit.At / 1000;
                switch (edit.Kind)
                {
                    case "flip" when body.Count > 0:
                        body[at] ^= edit.Bytes[0];
                        break;
                    case "truncate":
                        body.RemoveRange(at, body.Count - at);
                        break;
                    case "insert":
                        body.InsertRange(at, edit.Bytes);
                        break;
                    case "insert-in-string":
                        // Just after the first quote at or after the position: inside a name or a value (or after a closing quote).
                        int quote = body.IndexOf((byte)'"', at);
                        body.InsertRange(quote < 0 ? at : quote + 1, edit.Bytes);
                        break;
                    case "duplicate" when body.Count > 0:
                        body.InsertRange(at, body.GetRange(at, Math.Min(edit.Bytes[0], body.Count - at)));
                        break;
                }
            }

            return [.. body];
        }

        public override string ToString()
        {
            byte[] body = Body();
            StringBuilder text = new();
            foreach (byte b in body)
            {
                text.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}");
            }

            return $"[{Shape}; {string.Join(", ", Edits.Select(e => e.ToString()))}] body: {Shorten(text.ToString(), 400)}";
        }

        private string Text()
        {
            if (Shape.Kind == "root")
            {
                return Shape.Value;
            }

            List<(string Name, string Json)> fields = [.. Route.Fields];
            switch (Shape.Kind)
            {
                case "repeat":
                    fields.Add((fields[Shape.Field].Name, Shape.Value));
                    break;
                case "replace":
                    fields[Shape.Field] = (fields[Shape.Field].Name, Shape.Value);
                    break;
                case "remove":
                    fields.RemoveAt(Shape.Field);
                    break;
                case "unknown":
                    fields.Add(("unexpected", Shape.Value));
                    break;
                case "nest":
                    int depth = int.Parse(Shape.Value, CultureInfo.InvariantCulture);
                    fields[Shape.Field] = (fields[Shape.Field].Name, new string('[', depth) + fields[Shape.Field].Json + new string(']', depth));
                    break;
            }

            return "{" + string.Join(",", fields.Select(f => $"\"{f.Name}\":{f.Json}")) + "}";
        }
    }

    private static string Shorten(string text, int max = 40) => text.Length <= max ? text : text[..max] + $"…({text.Length} chars)";
}
