namespace Kobbopay.Simulator.Tests.Scenarios;

/// <summary>Scenario files written for a test, in a folder of their own that goes when disposed.</summary>
internal sealed class ScenarioFiles : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("kobbopay-scenarios-").FullName;

    /// <summary>Writes a scenario file and answers its path.</summary>
    public string Write(string name, string json)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>A scenario of one payment: the created payment <c>p</c> of 10.00, a built-in receiver <c>merchant</c> answering <paramref name="respond"/>, then <paramref name="steps"/>.</summary>
    public static string OnePayment(string steps, int respond = 200) => $$"""
        {
          "name": "one payment",
          "endpoints": { "merchant": { "respond": {{respond}} } },
          "steps": [
            { "step": "create", "as": "p", "amount": "10.00", "currency": "USDT", "network": "example-network", "orderId": "order-1" },
            {{steps}}
          ]
        }
        """;

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
