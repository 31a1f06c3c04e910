using Kobbopay.AspNetCore.Internal;
using Microsoft.Extensions.Logging.Testing;
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

            IReadOnlyList<FakeLogRecord> records = app.Logs.GetSnapshot();
            records.ShouldContain(r => r.Level == LogLevel.Trace, "Trace level was captured");
            FakeLogRecord[] ours = [.. records.Where(r => r.Category == KobbopayWebhookEndpoint.LogCategory)];
            FakeLogRecord processed = ours.Where(r => r.Id.Id == 200).ShouldHaveSingleItem();
            processed.Level.ShouldBe(LogLevel.Information);
            processed.GetStructuredStateValue("EventKey").ShouldBe("evt_log_ok");
            FakeLogRecord handlerFailed = ours.Where(r => r.Id.Id == 202).ShouldHaveSingleItem();
            handlerFailed.Level.ShouldBe(LogLevel.Warning);
            handlerFailed.GetStructuredStateValue("Handler").ShouldBe(nameof(CatchAllHandler));
            handlerFailed.GetStructuredStateValue("ExceptionType").ShouldBe(nameof(InvalidOperationException));
            handlerFailed.GetStructuredStateValue("EventKey").ShouldBe("evt_log_fail");
            ours.Where(r => r.Id.Id == 201).Select(r => (r.GetStructuredStateValue("StatusCode"), r.GetStructuredStateValue("Outcome")))
                .ShouldBe([("200", "duplicate"), ("500", "handler_failed"), ("400", "malformed"), ("401", "signature_invalid")]);
            ours.Where(r => r.Id.Id == 203).ShouldHaveSingleItem().GetStructuredStateValue("BodyBytes").ShouldBe("300000");
            ours.Where(r => r.Id.Id == 204).ShouldHaveSingleItem().GetStructuredStateValue("ContentType").ShouldBe("text/plain");
            records.Where(r => r.Exception is not null).ShouldAllBe(r => r.Exception is InvalidOperationException && r.Exception.Message == "handler bug");
            records.ShouldContain(r => r.Exception != null, "the processor logs the handler's exception");

            string[] texts = [.. records.Texts()];
            foreach (string s in new[] { secret, otherSecret, secret["whsec_".Length..], otherSecret["whsec_".Length..] })
            {
                texts.ShouldNotContain(t => t.Contains(s, StringComparison.Ordinal), "a secret reached a log record");
            }

            signatures.Count.ShouldBe(7);
            foreach (string signature in signatures)
            {
                // The whole header, and each entry's value (for Standard Webhooks the base64 after "v1,").
                string value = signature.Split(',')[^1];
                texts.ShouldNotContain(t => t.Contains(signature, StringComparison.Ordinal), "a signature reached a log record");
                texts.ShouldNotContain(t => t.Contains(value, StringComparison.Ordinal), "a signature reached a log record");
            }
        }
    }

    [Theory]
    [InlineData(HmacSha256HexSignatureScheme.SchemeName, Secret, null, "x-signature", "x-signature")]
    [InlineData(HmacSha256HexSignatureScheme.SchemeName, Secret, "x-kp-signature", "(none)", "x-kp-signature")]
    [InlineData(StandardWebhooksSignatureScheme.SchemeName, StandardSecret, null, "webhook-id", "webhook-id")]
    [InlineData(StandardWebhooksSignatureScheme.SchemeName, StandardSecret, null, "webhook-timestamp", "webhook-timestamp")]
    [InlineData(StandardWebhooksSignatureScheme.SchemeName, StandardSecret, null, "webhook-signature", "webhook-signature")]
    public async Task ADeliveryWithoutAHeaderTheSchemeNeeds_IsAnswered401_AndLoggedNamingTheHeader(string scheme, string secret, string? signatureHeaderName, string removed, string expected)
    {
        Dictionary<string, string?> settings = new() { ["Kobbopay:Webhooks:Scheme"] = scheme, ["Kobbopay:Webhooks:Secrets:0"] = secret };
        if (signatureHeaderName is not null)
        {
            settings["Kobbopay:Webhooks:SignatureHeaderName"] = signatureHeaderName;
        }

        await using WebhookApp app = await WebhookApp.StartAsync(new HandlerCalls(), settings: settings);
        byte[] body = Event("evt_no_header");
        KeyValuePair<string, string>[] headers = [.. Sign(body, secret, scheme, "evt_no_header").Where(h => h.Key != removed)];

        (await app.PostAsync(body, headers)).Status.ShouldBe(401);

        FakeLogRecord record = app.Logs.GetSnapshot().Where(r => r.Id.Id == 320).ShouldHaveSingleItem();
        record.Level.ShouldBe(LogLevel.Warning);
        record.GetStructuredStateValue("Header").ShouldBe(expected);
        record.Message.ShouldContain($"failed with HeaderMissing: the request has no {expected} header");
        app.Logs.GetSnapshot().ShouldNotContain(r => r.Id.Id == 300, "the generic signature failure is not logged as well");
    }

    [Fact]
    public async Task LogEventIds_AreStableAndInThe200Range()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls);
        byte[] body = Event("evt_ids");

        (await app.PostSignedAsync(body)).Status.ShouldBe(200);
        (await app.PostSignedAsync(body)).Status.ShouldBe(200);

        FakeLogRecord[] ours = [.. app.Logs.GetSnapshot().Where(r => r.Category == KobbopayWebhookEndpoint.LogCategory)];
        ours.ShouldAllBe(r => r.Id.Id >= 200 && r.Id.Id < 300);
        ours.Select(r => (r.Id.Id, r.Id.Name)).ShouldBe([(208, "HandlerCompleted"), (200, "Processed"), (201, "Answered")]);
    }
}
