using System.Globalization;
using System.Text.Json;

namespace Kobbopay.Simulator.Tests.TestSupport;

/// <summary>Walks a cursor-paged list (<c>GET /v1/payments</c>, <c>GET /v1/events</c>) to its end.</summary>
internal static class Pages
{
    /// <summary>The most pages a walk may take before the test fails with "paging does not end".</summary>
    public const int MaxPages = 100;

    /// <summary>
    /// Reads every page of <paramref name="path"/> with <paramref name="limit"/>, following <c>nextCursor</c> until it is
    /// null; each page must answer 200 and hold at most <paramref name="limit"/> items. <paramref name="afterPage"/>, when
    /// given, runs after each page with the number of pages read so far.
    /// </summary>
    public static async Task<(List<JsonElement> Items, int Pages)> ReadAllAsync(
        HttpClient client, string path, int limit, Func<int, Task>? afterPage = null)
    {
        List<JsonElement> items = [];
        string? cursor = null;
        var pages = 0;
        do
        {
            var query = "?limit=" + limit.ToString(CultureInfo.InvariantCulture) + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await client.GetApiAsync(path + query, Sim.Ct);
            page.Status.ShouldBe(200, page.Body);
            var data = page.Json.Items("data");
            data.Count.ShouldBeLessThanOrEqualTo(limit);
            items.AddRange(data);
            cursor = page.Json.Str("nextCursor");
            pages++;
            if (afterPage is not null)
            {
                await afterPage(pages);
            }

            pages.ShouldBeLessThan(MaxPages, "paging does not end");
        }
        while (cursor is not null);

        return (items, pages);
    }
}
