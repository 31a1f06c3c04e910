using Kobbopay.Cli.Reconcile;
using Kobbopay.Reconciliation;

namespace Kobbopay.Cli.Tests.Reconcile;

public sealed class CsvOrderLedgerTests
{
    [Fact]
    public async Task QuotedFieldsCrlfABomAndBlankLines_StreamAndLookUpAsWritten()
    {
        using TempDirectory files = new();
        string longStatus = new('x', 3000);
        string path = files.Write(
            "orders.csv",
            "\uFEFForderId,amount,currency,status\r\n\"o,1\",10.50,USDT,\"paid \"\"in full\"\"\"\r\n\r\no-2,0.5,USDC,\"line\nbreak\"\r\no-3,7,USDT," + longStatus);
        CancellationToken ct = TestContext.Current.CancellationToken;

        using CsvOrderLedger ledger = await CsvOrderLedger.OpenAsync(path, ct);
        List<LedgerOrder> all = [];
        await foreach (LedgerOrder order in ledger.GetOrdersAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, ct))
        {
            all.Add(order);
        }

        LedgerOrder[] expected =
        [
            new("o,1", 10.50m, "USDT", "paid \"in full\""),
            new("o-2", 0.5m, "USDC", "line\nbreak"),
            new("o-3", 7m, "USDT", longStatus),
        ];
        all.ShouldBe(expected);
        ledger.Count.ShouldBe(3);
        // The lookups read one record each at its indexed offset, the long one past the lookup buffer.
        (await ledger.FindOrderAsync("o-3", ct)).ShouldBe(expected[2]);
        (await ledger.FindOrderAsync("o,1", ct)).ShouldBe(expected[0]);
        (await ledger.FindOrderAsync("o-2", ct)).ShouldBe(expected[1]);
        (await ledger.FindOrderAsync("o-4", ct)).ShouldBeNull();
    }

    [Fact]
    public async Task AFileChangedAfterTheScan_FailsTheLookupNamingTheFile()
    {
        using TempDirectory files = new();
        string path = files.Write("orders.csv", "orderId,amount,currency,status\no-1,10,USDT,paid\no-2,10,USDT,paid\n");
        CancellationToken ct = TestContext.Current.CancellationToken;
        using CsvOrderLedger ledger = await CsvOrderLedger.OpenAsync(path, ct);

        await using (FileStream stream = new(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            await stream.WriteAsync("orderId,amount,currency,status\no-9,10,USDT,paid\n"u8.ToArray(), ct);
        }

        InvalidDataException error = await Should.ThrowAsync<InvalidDataException>(ledger.FindOrderAsync("o-1", ct).AsTask());
        error.Message.ShouldBe($"{path} changed during the run: line 2 no longer holds order o-1.");
    }
}
