using System.Globalization;

namespace Kobbopay.EventStore.Tests.Endpoint;

/// <summary>
/// The SQLite event store on the inline path across a SIGKILL: a real app process (handler inside the request) killed
/// with one event begun and not completed, then restarted on the same file. docs/crash-safety.md cites it.
/// </summary>
public sealed class InlineCrashTests(TempDirectory directory) : IClassFixture<TempDirectory>
{
    private const int LeaseSeconds = 2;

    [Fact]
    public async Task After_a_SIGKILL_completed_events_stay_duplicates_and_the_begun_one_is_processed_once_after_its_lease()
    {
        string db = directory.NextFile("inline");
        string runs = db + ".runs";
        CancellationToken ct = TestContext.Current.CancellationToken;
        using HttpClient http = new();

        // First life: evt_a and evt_b processed (complete returned), evt_c begun and its handler stuck; then SIGKILL.
        using (QueuedAppProcess first = await StartAsync(db, runs, "--complete-first", "2"))
        {
            (await DeliverAsync(http, first.Url, "evt_a", ct)).ShouldBe("""200 {"status":"processed"}""");
            (await DeliverAsync(http, first.Url, "evt_b", ct)).ShouldBe("""200 {"status":"processed"}""");
            Task<string> stuck = DeliverAsync(http, first.Url, "evt_c", ct);
            await first.ReadUntilAsync(line => line == "BLOCKED evt_c");
            (await first.KillAsync()).ShouldBe(137, "killed by SIGKILL (128 + 9)");
            await Should.ThrowAsync<HttpRequestException>(stuck); // the gateway never got an answer: it retries
        }

        File.ReadAllLines(runs).ShouldBe(["evt_a", "evt_b"]);

        // Second life on the same file.
        using (QueuedAppProcess second = await StartAsync(db, runs))
        {
            // Completed before the kill: kept, so a redelivery is a duplicate (no second effect).
            (await DeliverAsync(http, second.Url, "evt_a", ct)).ShouldBe("""200 {"status":"duplicate"}""");

            // Never begun before the kill: an ordinary first delivery.
            (await DeliverAsync(http, second.Url, "evt_d", ct)).ShouldBe("""200 {"status":"processed"}""");

            // Begun, not completed: held by the dead process's lease (409, the gateway retries) until it lapses, then
            // processed once. The retries are the gateway's; the lease runs on the real clock of two processes.
            string answer;
            int attempts = 0;
            while ((answer = await DeliverAsync(http, second.Url, "evt_c", ct)).StartsWith("409 ", StringComparison.Ordinal) && ++attempts < 100)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }

            answer.ShouldBe("""200 {"status":"processed"}""");
            (await DeliverAsync(http, second.Url, "evt_c", ct)).ShouldBe("""200 {"status":"duplicate"}""");
            await second.KillAsync();
        }

        File.ReadAllLines(runs).ShouldBe(["evt_a", "evt_b", "evt_d", "evt_c"], "each event's effect exactly once");
    }

    private static async Task<string> DeliverAsync(HttpClient http, Uri url, string id, CancellationToken ct)
    {
        using HttpResponseMessage response = await http.SendAsync(WebhookApp.Delivery(url, WebhookApp.EventBody(id), id), ct);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}";
    }

    private static Task<QueuedAppProcess> StartAsync(string db, string runs, params string[] more) =>
        QueuedAppProcess.StartAsync([.. new[] { "--db", db, "--runs", runs, "--secret", WebhookApp.Secret, "--inline", "true", "--lease-seconds", LeaseSeconds.ToString(CultureInfo.InvariantCulture) }, .. more]);
}
