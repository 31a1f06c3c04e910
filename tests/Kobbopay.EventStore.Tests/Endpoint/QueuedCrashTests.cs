using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Kobbopay.EventStore.Tests.Endpoint;

/// <summary>Queued processing across a SIGKILL: a real app process on a SQLite file, killed mid-batch, then restarted.</summary>
public sealed class QueuedCrashTests(TempDirectory directory) : IClassFixture<TempDirectory>
{
    private const int Events = 20;
    private const int CompletedBeforeTheKill = 5;

    [Fact]
    public async Task Events_answered_200_before_a_SIGKILL_are_each_handled_exactly_once_after_the_restart()
    {
        string db = directory.NextFile("queued");
        string runs = db + ".runs";
        string[] ids = [.. Enumerable.Range(0, Events).Select(i => $"evt_crash_{i:D2}")];
        using HttpClient http = new();

        // First life: every delivery answered 200 queued; the worker completes 5 events, then blocks inside the 6th run.
        using (QueuedAppProcess first = await StartAsync(db, runs, "--complete-first", CompletedBeforeTheKill.ToString(CultureInfo.InvariantCulture)))
        {
            foreach (string id in ids)
            {
                using HttpResponseMessage response = await http.SendAsync(WebhookApp.Delivery(first.Url, WebhookApp.EventBody(id), id), TestContext.Current.CancellationToken);
                $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}".ShouldBe("""200 {"status":"queued"}""");
            }

            await first.ReadUntilAsync(line => line.StartsWith("BLOCKED ", StringComparison.Ordinal));
            (await first.KillAsync()).ShouldBe(137, "killed by SIGKILL (128 + 9)");
            first.Lines.Count(l => l.StartsWith("HANDLED ", StringComparison.Ordinal)).ShouldBe(CompletedBeforeTheKill);
        }

        File.ReadAllLines(runs).Length.ShouldBe(CompletedBeforeTheKill, "the worker had not finished");

        // Second life: the claims of the dead process lapse (2 s lease) and the rest is handled.
        using (QueuedAppProcess second = await StartAsync(db, runs))
        {
            for (int handled = 0; handled < Events - CompletedBeforeTheKill; handled++)
            {
                await second.ReadUntilAsync(line => line.StartsWith("HANDLED ", StringComparison.Ordinal));
            }

            using HttpResponseMessage again = await http.SendAsync(WebhookApp.Delivery(second.Url, WebhookApp.EventBody(ids[0]), ids[0]), TestContext.Current.CancellationToken);
            (await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe("""{"status":"duplicate"}""");
            await second.KillAsync();
        }

        // Each event's effect exactly once: no run lost to the kill, none repeated after it.
        string[] effects = File.ReadAllLines(runs);
        effects.Order().ShouldBe(ids);
        await using SqliteConnection connection = new($"Data Source={db}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using SqliteCommand states = new("SELECT count(*) FROM kobbopay_webhook_events_inbox WHERE state = 1", connection);
        Convert.ToInt32(await states.ExecuteScalarAsync(TestContext.Current.CancellationToken), CultureInfo.InvariantCulture).ShouldBe(Events, "every event completed in the inbox");
    }

    private static Task<QueuedAppProcess> StartAsync(string db, string runs, params string[] more) =>
        QueuedAppProcess.StartAsync([.. new[] { "--db", db, "--runs", runs, "--secret", WebhookApp.Secret, "--lease-seconds", "2" }, .. more]);
}
