namespace Kobbopay.Simulator.Tests;

/// <summary>A list query the contract does not allow is refused with 400 and names the parameter; a refusal changes nothing, so one simulator serves them all.</summary>
public sealed class ListQueryTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    [Theory]
    [InlineData("v1/payments?limit=0", "limit")]
    [InlineData("v1/payments?limit=101", "limit")]
    [InlineData("v1/payments?limit=-1", "limit")]
    [InlineData("v1/payments?limit=abc", "limit")]
    [InlineData("v1/payments?limit=1.5", "limit")]
    [InlineData("v1/payments?status=bogus", "status")]
    [InlineData("v1/payments?status=PENDING_X", "status")]
    [InlineData("v1/payments?createdFrom=yesterday", "createdFrom")]
    [InlineData("v1/payments?createdFrom=2026-13-01T00%3A00%3A00Z", "createdFrom")]
    [InlineData("v1/payments?createdFrom=1700000000", "createdFrom")]
    [InlineData("v1/payments?createdTo=21%2F11%2F2026", "createdTo")]
    [InlineData("v1/payments?cursor=garbage", "cursor")]
    [InlineData("v1/payments?cursor=eyJub3QiOiJhIGN1cnNvciJ9", "cursor")]
    [InlineData("v1/payments?cursor=%00%01", "cursor")]
    [InlineData("v1/events?limit=0", "limit")]
    [InlineData("v1/events?limit=101", "limit")]
    [InlineData("v1/events?limit=x", "limit")]
    [InlineData("v1/events?cursor=garbage", "cursor")]
    [InlineData("v1/events?createdFrom=not-a-time", "createdFrom")]
    public async Task ABadListQuery_Returns400WithThatParam(string pathAndQuery, string param)
    {
        using var client = fixture.Simulator.CreateClient();

        var response = await client.GetApiAsync(pathAndQuery, Sim.Ct);

        response.ShouldBeError(400, "invalid_request", param);
    }
}
