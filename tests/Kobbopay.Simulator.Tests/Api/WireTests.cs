using Kobbopay.Simulator.Internal;

namespace Kobbopay.Simulator.Tests.Api;

public sealed class WireTests
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    [Theory]
    [InlineData("pay_", 24)]
    [InlineData("", 32)]
    [InlineData("req_", 1)]
    public void NewId_IsThePrefix_ThenLengthCharactersOfTheAlphabet(string prefix, int length)
    {
        string id = Wire.NewId(prefix, length);

        Assert.StartsWith(prefix, id, StringComparison.Ordinal);
        Assert.Equal(prefix.Length + length, id.Length);
        Assert.All(id[prefix.Length..], c => Assert.Contains(c, Alphabet));
    }

    [Fact]
    public void NewId_DrawsEveryCharacterEquallyOften()
    {
        // 320,000 characters: 8,889 of each expected, a standard deviation of about 93. A plain "byte % 36" would give the
        // first four characters 8/256 instead of 7/256 of the draws (about 10,000, twelve deviations out); 6 % is about six.
        Dictionary<char, int> counts = Alphabet.ToDictionary(c => c, _ => 0);
        for (int i = 0; i < 10_000; i++)
        {
            foreach (char c in Wire.NewId(string.Empty, 32))
            {
                counts[c]++;
            }
        }

        double expected = 320_000.0 / Alphabet.Length;
        Assert.All(counts, pair => Assert.InRange(pair.Value, expected * 0.94, expected * 1.06));
    }

    [Fact]
    public async Task NewId_NeverRepeats_OnOneThreadOrAcrossThreads()
    {
        // Each thread draws from its own buffer of random bytes; a byte used twice, or a buffer shared, repeats ids.
        string[][] perThread = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Enumerable.Range(0, 2_000).Select(_ => Wire.NewId("pay_")).ToArray())));

        string[] all = [.. perThread.SelectMany(ids => ids)];
        Assert.Equal(all.Length, all.Distinct(StringComparer.Ordinal).Count());
    }
}
