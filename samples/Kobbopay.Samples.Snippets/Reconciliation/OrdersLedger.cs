using System.Data.Common;
using System.Runtime.CompilerServices;
using Kobbopay.Reconciliation;

namespace Shop;

// The shop's orders as the reconciler reads them, from a table orders(id, total, currency, status, created_at).
public sealed class OrdersLedger(DbDataSource db) : IOrderLedger
{
    public async IAsyncEnumerable<LedgerOrder> GetOrdersAsync(DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using DbCommand command = db.CreateCommand("SELECT id, total, currency, status FROM orders WHERE created_at >= $1 AND created_at < $2");
        command.Parameters.Add(Parameter(command, from));
        command.Parameters.Add(Parameter(command, to));
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    public async ValueTask<LedgerOrder?> FindOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        await using DbCommand command = db.CreateCommand("SELECT id, total, currency, status FROM orders WHERE id = $1");
        command.Parameters.Add(Parameter(command, orderId));
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static DbParameter Parameter(DbCommand command, object value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.Value = value;
        return parameter;
    }

    private static LedgerOrder Read(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetDecimal(1), reader.GetString(2), reader.GetString(3));
}
