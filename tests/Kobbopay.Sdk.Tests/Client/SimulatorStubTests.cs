using System.Text.Json;
using static Kobbopay.Sdk.Tests.TestSupport.ClientFixture;

namespace Kobbopay.Sdk.Tests.Client;

/// <summary>
/// A QA stub posted to the simulator's WireMock admin API over plain HTTP JSON, as any WireMock client would, overrides
/// one payment's read: the SDK retries the stub's 503 and then surfaces the stub's own error code; other payments
/// still follow the lifecycle; deleting the stub, or every mapping, restores the lifecycle; the journal lists the calls.
/// </summary>
public sealed class SimulatorStubTests
{
    private const string StubBody = """{"error":{"code":"incident_2026_11_24","message":"Last week's incident, replayed."}}""";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AStubOverridesOnePaymentsRead_UntilItIsDeleted(bool deleteAll)
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim, o => o.Resilience.MaxRetryAttempts = 2);
        using var admin = new HttpClient { BaseAddress = sim.BaseAddress };
        Payment stubbed = await client.CreatePaymentAsync(Request("order-stubbed"), cancellationToken: Ct);
        Payment other = await client.CreatePaymentAsync(Request("order-other"), cancellationToken: Ct);

        string mapping = $$"""
            {
              "Title": "incident replay",
              "Request": { "Path": { "Matchers": [ { "Name": "WildcardMatcher", "Pattern": "/v1/payments/{{stubbed.Id}}" } ] }, "Methods": [ "GET" ] },
              "Response": { "StatusCode": 503, "Headers": { "Content-Type": "application/json" }, "Body": {{JsonSerializer.Serialize(StubBody)}} }
            }
            """;
        using HttpResponseMessage posted = await admin.PostAsync("__admin/mappings", new StringContent(mapping, Encoding.UTF8, "application/json"), Ct);
        posted.StatusCode.ShouldBe(HttpStatusCode.Created, await posted.Content.ReadAsStringAsync(Ct));
        string stubId = JsonDocument.Parse(await posted.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("Guid").GetString()!;

        sim.ClearRequests();
        var ex = await Should.ThrowAsync<KobbopayApiException>(client.GetPaymentAsync(stubbed.Id, Ct));
        (ex.StatusCode, ex.ErrorCode).ShouldBe((503, "incident_2026_11_24"));
        sim.Requests.Count(r => r.Path == $"/v1/payments/{stubbed.Id}").ShouldBe(3, "the first attempt and two retries, all answered by the stub");
        (await client.GetPaymentAsync(other.Id, Ct)).Status.ShouldBe(PaymentStatus.Pending, "other payments still follow the lifecycle");

        string journal = await admin.GetStringAsync("__admin/requests", Ct);
        using (JsonDocument entries = JsonDocument.Parse(journal))
        {
            var paths = entries.RootElement.EnumerateArray().Select(e => e.GetProperty("Request").GetProperty("Path").GetString()).ToList();
            paths.Count(p => p == $"/v1/payments/{stubbed.Id}").ShouldBe(3);
            paths.ShouldContain($"/v1/payments/{other.Id}");
        }

        using HttpResponseMessage deleted = deleteAll
            ? await admin.DeleteAsync("__admin/mappings", Ct)
            : await admin.DeleteAsync($"__admin/mappings/{stubId}", Ct);
        deleted.StatusCode.ShouldBe(HttpStatusCode.OK);

        sim.Pay(stubbed.Id);
        (await client.GetPaymentAsync(stubbed.Id, Ct)).Status.ShouldBe(PaymentStatus.Paid, "the lifecycle answers again");
        (await client.CreatePaymentAsync(Request("order-after"), cancellationToken: Ct)).Status.ShouldBe(PaymentStatus.Pending);
    }
}
