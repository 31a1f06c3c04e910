namespace Kobbopay.Simulator.Tests;

/// <summary>
/// What both lists answer before anything exists, and how they refuse a query the contract does not allow (400 naming
/// the parameter). Neither changes anything, so one simulator with no payments serves them all.
/// </summary>
public sealed class ListQueryTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    [Theory]
    [InlineData("v1/payments")]
    [InlineData("v1/events")]
    public async Task AnEmptyList_ReturnsNoDataAndANullCursor(string path)
    {
        using var client = fixture.Simulator.CreateClient();

        var response = await client.GetApiAsync(path, Sim.Ct);

        response.ShouldBeTheEmptyPage();
    }

    /// <summary>A path and query the contract (or the control API's payments list) refuses, and the parameter the error names.</summary>
    public static TheoryData<string, string> BadQueries => new()
    {
        { "v1/payments?limit=0", "limit" },
        { "v1/payments?limit=101", "limit" },
        { "v1/payments?limit=-1", "limit" },
        { "v1/payments?limit=abc", "limit" },
        { "v1/payments?limit=1.5", "limit" },
        { "v1/payments?status=bogus", "status" },
        { "v1/payments?status=PENDING_X", "status" },
        { "v1/payments?createdFrom=yesterday", "createdFrom" },
        { "v1/payments?createdFrom=2026-13-01T00%3A00%3A00Z", "createdFrom" },
        { "v1/payments?createdFrom=1700000000", "createdFrom" },
        { "v1/payments?createdTo=21%2F11%2F2026", "createdTo" },
        { "v1/payments?cursor=garbage", "cursor" },
        { "v1/payments?cursor=eyJub3QiOiJhIGN1cnNvciJ9", "cursor" },
        { "v1/payments?cursor=%00%01", "cursor" },
        { "v1/events?limit=0", "limit" },
        { "v1/events?limit=101", "limit" },
        { "v1/events?limit=x", "limit" },
        { "v1/events?cursor=garbage", "cursor" },
        { "v1/events?createdFrom=not-a-time", "createdFrom" },
        { "_sim/payments?status=settled", "status" },
        { "_sim/payments?status=", "status" },
        { "_sim/payments?status=paid&status=pending", "status" },
        { "_sim/payments?limit=0", "limit" },
        { "_sim/payments?limit=1001", "limit" },
        { "_sim/payments?limit=ten", "limit" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task ABadListQuery_Returns400WithThatParam(string pathAndQuery, string param)
    {
        using var client = fixture.Simulator.CreateClient();

        var response = await client.GetApiAsync(pathAndQuery, Sim.Ct);

        response.ShouldBeError(400, "invalid_request", param);
    }
}
