using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kobbopay.Sdk;

/// <summary>
/// The source-generated JSON metadata of every shape the contract carries: payments, events, pages, the create
/// body and the error body (web defaults: camelCase; money as strings). No reflection-based serialization is used
/// anywhere, so it is safe under trimming and Native AOT. Combine it with your own context to bind Kobbopay models
/// in your app (<c>JsonTypeInfoResolver.Combine(KobbopayJsonContext.Default, …)</c>).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = false)]
[JsonSerializable(typeof(Payment))]
[JsonSerializable(typeof(PaymentEvent))]
[JsonSerializable(typeof(Page<Payment>))]
[JsonSerializable(typeof(Page<PaymentEvent>))]
[JsonSerializable(typeof(CreatePaymentRequest))]
[JsonSerializable(typeof(KobbopayErrorResponse))]
public sealed partial class KobbopayJsonContext : JsonSerializerContext;
