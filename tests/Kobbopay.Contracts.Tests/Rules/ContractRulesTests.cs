namespace Kobbopay.Contracts.Tests.Rules;

public sealed class ContractRulesTests
{
    [Fact]
    public void WebhookSchedule_IsTheContractsEightDelays_AndItsHorizonIsTheirSum()
    {
        KobbopayWebhookSchedule.DefaultRetryDelays.Select(d => d.TotalSeconds)
            .ShouldBe([5, 30, 120, 600, 1_800, 3_600, 10_800, 21_600]);
        KobbopayWebhookSchedule.DefaultHorizon.ShouldBe(new TimeSpan(10, 42, 35));
        KobbopayWebhookSchedule.AttemptTimeout.ShouldBe(TimeSpan.FromSeconds(10));
        KobbopayWebhookSchedule.HorizonOf([TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)]).ShouldBe(TimeSpan.FromSeconds(61));
    }

    [Fact]
    public void WebhookSchedule_CannotBeChangedThroughItsList()
    {
        var delays = (IList<TimeSpan>)KobbopayWebhookSchedule.DefaultRetryDelays;

        Should.Throw<NotSupportedException>(() => delays[0] = TimeSpan.Zero);
    }

    [Theory]
    [InlineData("pending", "paid", true)]
    [InlineData("paid", "confirmed", true)]
    [InlineData("pending", "expired", true)]
    [InlineData("paid", "expired", true)]
    [InlineData("paid", "pending", false)]
    [InlineData("confirmed", "paid", false)]
    [InlineData("confirmed", "expired", false)]
    [InlineData("paid", "paid", false)]
    [InlineData("pending", "refunded", false)]
    [InlineData("refunded", "confirmed", false)]
    public void Lifecycle_IsForward_ByTheDefaultRanks(string from, string to, bool forward) =>
        KobbopayLifecycle.IsForward(new PaymentStatus(from), new PaymentStatus(to)).ShouldBe(forward);

    [Fact]
    public void Lifecycle_IsForward_UsesRanksGivenByTheDeployment()
    {
        Dictionary<string, int> ranks = new(KobbopayLifecycle.DefaultStatusRanks) { ["refunded"] = 3 };

        KobbopayLifecycle.IsForward(PaymentStatus.Confirmed, new PaymentStatus("refunded"), ranks).ShouldBeTrue();
        KobbopayLifecycle.DefaultStatusRanks.ContainsKey("refunded").ShouldBeFalse();
        KobbopayLifecycle.DefaultTerminalStatuses.OrderBy(s => s, StringComparer.Ordinal).ShouldBe(["confirmed", "expired"]);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("order_abc-123", true)]
    [InlineData(" ~", true)]
    [InlineData("", false)]
    [InlineData("tab\tinside", false)]
    [InlineData("caf\u00e9", false)]
    [InlineData("line\n", false)]
    public void IdempotencyKey_IsValid_IsOneTo255PrintableAsciiCharacters(string key, bool valid) =>
        KobbopayIdempotencyKey.IsValid(key).ShouldBe(valid);

    [Fact]
    public void IdempotencyKey_IsValid_AcceptsExactly255Characters()
    {
        KobbopayIdempotencyKey.IsValid(new string('k', KobbopayIdempotencyKey.MaxLength)).ShouldBeTrue();
        KobbopayIdempotencyKey.IsValid(new string('k', KobbopayIdempotencyKey.MaxLength + 1)).ShouldBeFalse();
        KobbopayIdempotencyKey.IsValid(null).ShouldBeFalse();
    }

    [Fact]
    public void IdempotencyKey_MadeKeys_AreValid_AndStablePerOrder()
    {
        string first = KobbopayIdempotencyKey.FromOrderId("order-1");

        KobbopayIdempotencyKey.IsValid(first).ShouldBeTrue();
        KobbopayIdempotencyKey.IsValid(KobbopayIdempotencyKey.NewKey()).ShouldBeTrue();
        KobbopayIdempotencyKey.NewKey().ShouldMatch("^call_[0-9a-f]{32}$");
        KobbopayIdempotencyKey.NewKey().ShouldNotBe(KobbopayIdempotencyKey.NewKey());
        KobbopayIdempotencyKey.FromOrderId("order-1").ShouldBe(first);
        KobbopayIdempotencyKey.FromOrderId("order-1", "2").ShouldNotBe(first);
    }

    [Fact]
    public void Prefixes_AndHeaders_AreTheContracts()
    {
        (KobbopayPrefixes.TestApiKey, KobbopayPrefixes.LiveApiKey, KobbopayPrefixes.Payment, KobbopayPrefixes.Event, KobbopayPrefixes.Request)
            .ShouldBe(("kp_test_", "kp_live_", "pay_", "evt_", "req_"));
        (KobbopayHeaders.IdempotencyKey, KobbopayHeaders.RequestId, KobbopayHeaders.Signature, KobbopayHeaders.EventId, KobbopayHeaders.DeliveryId)
            .ShouldBe(("Idempotency-Key", "x-request-id", "x-signature", "x-event-id", "x-delivery-id"));
    }
}
