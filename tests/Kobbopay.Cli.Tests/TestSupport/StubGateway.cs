using System.Net;
using System.Text;

namespace Kobbopay.Cli.Tests.TestSupport;

/// <summary>A gateway that answers every request 200 with an empty page and the given <c>Date</c>, and keeps the requests: for addresses no test can reach.</summary>
/// <param name="date">The <c>Date</c> header it sends.</param>
internal sealed class StubGateway(DateTimeOffset date) : HttpMessageHandler
{
    public List<HttpRequestMessage> Requests { get; } = [];

    /// <summary>Gets what runs as each request arrives, before it is answered: to see what the CLI had printed by then.</summary>
    public Action? OnRequest { get; init; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        OnRequest?.Invoke();
        HttpResponseMessage response = new(HttpStatusCode.OK) { Content = new StringContent("""{"data":[],"nextCursor":null}""", Encoding.UTF8, "application/json") };
        response.Headers.Date = date;
        return Task.FromResult(response);
    }
}
