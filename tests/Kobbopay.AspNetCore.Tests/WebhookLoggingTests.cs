using Kobbopay.AspNetCore.Tests.TestSupport;
using Kobbopay.Webhooks;
using Microsoft.Extensions.Logging;
using static Kobbopay.AspNetCore.Tests.TestSupport.Payloads;

namespace Kobbopay.AspNetCore.Tests;

/// <summary>What the endpoint (and everything under it, ASP.NET Core included) logs at Trace level.</summary>
public sealed class WebhookLoggingTests
{
    [Theory]
    [InlineData(HmacSha256HexSignatureScheme.SchemeName, Secret, OtherSecret)]
    [InlineData(StandardWebhooksSignatureScheme.SchemeName, StandardSecret, OtherStandardSecret)]
    public async Task TraceLogs_NeverContainASecretOrASignature(string scheme, string secret, string otherSecret)
    {
        HandlerCalls calls = new() { Behavior = (context, _, _) => context.Event.Id == "evt_log_fail" ? throw new InvalidOperationException("handler bug") : Task.CompletedTask };
        Dictionary<string, string?> settings = new()
        {
            ["Kobbopay:Webhooks:Scheme"] = scheme,
            ["Kobbopay:Webhooks:Secrets:0"] = secret,
            ["Kobbopay:Webhooks:Secrets:1"] = otherSecret,
        };
        List<string> signatures = [];
        await using (WebhookApp app = await WebhookApp.StartAsync(calls, settings: settings))
        {
            async Task<int> PostAsync(byte[] body, IReadOnlyList<KeyValuePair<string, string>> headers, string? contentType = "application/json")
            {
                signatures.AddRange(headers.Where(h => h.Key is "x-signature" or "webhook-signature").Select(h => h.Value));
                return (await app.PostAsync(body, headers, contentType)).Status;
            }

            DateTimeOffset now = TimeProvider.System.GetUtcNow();
            byte[] ok = Event("evt_log_ok");
            byte[] fail = Event("evt_log_fail");
            byte[] malformed = "{\"id\":"u8.ToArray();
            (await PostAsync(ok, Sign(ok, secret, scheme, "evt_log_ok", now))).ShouldBe(200);
            (await PostAsync(ok, Sign(ok, otherSecret, scheme, "evt_log_ok", now))).ShouldBe(200);
            (await PostAsync(fail, Sign(fail, secret, scheme, "evt_log_fail", now))).ShouldBe(500);
            (await PostAsync(malformed, Sign(malformed, secret, scheme, "evt_log_bad", now))).ShouldBe(400);
            (await PostAsync(ok, Sign(Event("evt_other"), secret, scheme, "evt_log_ok", now))).ShouldBe(401);
            (await PostAsync(ok, Sign(ok, secret, scheme, "evt_log_ok", now), "text/plain")).ShouldBe(415);
            (await PostAsync(Event("evt_big", totalBytes: 300_000), Sign(Event("evt_big", totalBytes: 300_000), secret, scheme, "evt_big", now))).ShouldBe(413);

            IReadOnlyList<string> lines = app.Logs.Lines;
            lines.ShouldContain(l => l.StartsWith("Trace", StringComparison.Ordinal), "Trace level was captured");
            lines.ShouldContain(l => l.Contains("[200]", StringComparison.Ordinal) && l.Contains("evt_log_ok", StringComparison.Ordinal));
            lines.ShouldContain(l => l.Contains("[202]", StringComparison.Ordinal) && l.Contains(nameof(CatchAllHandler), StringComparison.Ordinal));
            lines.ShouldContain(l => l.Contains("[203]", StringComparison.Ordinal));
            lines.ShouldContain(l => l.Contains("[204]", StringComparison.Ordinal));
            string all = string.Join('\n', lines);
            foreach (string s in new[] { secret, otherSecret, secret["whsec_".Length..], otherSecret["whsec_".Length..] })
            {
                all.ShouldNotContain(s);
            }

            signatures.Count.ShouldBe(7);
            foreach (string signature in signatures)
            {
                // The whole header, and each entry's value (for Standard Webhooks the base64 after "v1,").
                all.ShouldNotContain(signature);
                all.ShouldNotContain(signature.Split(',')[^1]);
            }
        }
    }

    [Fact]
    public async Task LogEventIds_AreStableAndInThe200Range()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls);
        byte[] body = Event("evt_ids");

        (await app.PostSignedAsync(body)).Status.ShouldBe(200);
        (await app.PostSignedAsync(body)).Status.ShouldBe(200);

        const string prefix = "Kobbopay.AspNetCore.Webhooks[";
        IReadOnlyList<int> ours = [.. app.Logs.Lines
            .Select(l => l.IndexOf(prefix, StringComparison.Ordinal) is var at and >= 0 ? int.Parse(l.AsSpan(at + prefix.Length, 3), System.Globalization.CultureInfo.InvariantCulture) : -1)
            .Where(id => id >= 0)];
        ours.ShouldAllBe(id => id >= 200 && id < 300);
        ours.ShouldContain(200);
        ours.ShouldContain(201);
        ours.ShouldContain(208);
    }
}
