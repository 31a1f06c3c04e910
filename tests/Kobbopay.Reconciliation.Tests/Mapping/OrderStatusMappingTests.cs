namespace Kobbopay.Reconciliation.Tests.Mapping;

public sealed class OrderStatusMappingTests
{
    [Theory]
    [InlineData("pending")]
    [InlineData("paid")]
    [InlineData("confirmed")]
    [InlineData("expired")]
    public void Identity_reads_the_gateway_names_as_themselves(string status)
    {
        Assert.True(OrderStatusMapping.Identity.TryMap(status, out PaymentStatus mapped));
        Assert.Equal(new PaymentStatus(status), mapped);
    }

    [Theory]
    [InlineData("shipped")]
    [InlineData("Paid")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unknown_status_is_not_mapped_and_not_guessed(string? status)
    {
        Assert.False(OrderStatusMapping.Identity.TryMap(status, out PaymentStatus mapped));
        Assert.Equal(default, mapped);
    }

    [Fact]
    public void A_merchant_mapping_keeps_its_version_and_statuses()
    {
        OrderStatusMapping mapping = new("erp-7", new Dictionary<string, PaymentStatus> { ["settled"] = PaymentStatus.Confirmed });

        Assert.True(mapping.TryMap("settled", out PaymentStatus mapped));
        Assert.Equal((PaymentStatus.Confirmed, "erp-7", 1), (mapped, mapping.Version, mapping.Statuses.Count));
        Assert.False(mapping.TryMap("confirmed", out _));
    }

    [Fact]
    public void A_mapping_needs_a_version_and_at_least_one_status()
    {
        Assert.Throws<ArgumentException>("version", () => new OrderStatusMapping("", new Dictionary<string, PaymentStatus> { ["a"] = PaymentStatus.Paid }));
        Assert.Throws<ArgumentException>("statuses", () => new OrderStatusMapping("v1", new Dictionary<string, PaymentStatus>()));
        Assert.Throws<ArgumentException>("statuses", () => new OrderStatusMapping("v1", new Dictionary<string, PaymentStatus> { ["a"] = default }));
    }
}
