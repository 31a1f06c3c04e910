using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.AspNetCore.Tests.PublicApi;

/// <summary>Guards the public surface of the Kobbopay.AspNetCore package.</summary>
public sealed class PublicApiTests() : PublicApiApprovalTests(typeof(KobbopayWebhookOptions).Assembly);
