using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.Sdk.Tests.PublicApi;

/// <summary>Guards the public surface of the Kobbopay.Sdk package.</summary>
public sealed class PublicApiTests() : PublicApiApprovalTests(typeof(KobbopayClient).Assembly);
