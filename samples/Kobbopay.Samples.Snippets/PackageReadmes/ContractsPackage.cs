using Kobbopay.Sdk;

namespace Shop.PackageReadmes;

// src/Kobbopay.Contracts/README.md: the package's five-line use.
public static class ContractsPackage
{
    public static Payment Use()
    {
        // snippet: contracts
        Payment payment = KobbopayModelFactory.Payment(status: PaymentStatus.Paid);
        byte[] json = KobbopaySerializer.SerializeToUtf8Bytes(payment);          // the contract's JSON, money as strings
        Payment read = KobbopaySerializer.DeserializePayment(json);
        // end snippet
        return read;
    }
}
