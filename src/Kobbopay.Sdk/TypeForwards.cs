using System.Runtime.CompilerServices;
using Kobbopay.Sdk;

// The contract's models moved to Kobbopay.Contracts (same namespace); code compiled against an earlier
// Kobbopay.Sdk still finds them here.
[assembly: TypeForwardedTo(typeof(CreatePaymentRequest))]
[assembly: TypeForwardedTo(typeof(KobbopayIdempotencyKey))]
[assembly: TypeForwardedTo(typeof(KobbopayModelFactory))]
[assembly: TypeForwardedTo(typeof(KobbopaySerializer))]
[assembly: TypeForwardedTo(typeof(Page<>))]
[assembly: TypeForwardedTo(typeof(Payment))]
[assembly: TypeForwardedTo(typeof(PaymentEvent))]
[assembly: TypeForwardedTo(typeof(PaymentEventData))]
[assembly: TypeForwardedTo(typeof(PaymentEventType))]
[assembly: TypeForwardedTo(typeof(PaymentStatus))]
