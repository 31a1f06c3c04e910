using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.Webhooks.Tests.PublicApi;

/// <summary>Guards the public surface of the Kobbopay.Webhooks package.</summary>
public sealed class PublicApiTests() : PublicApiApprovalTests(typeof(IWebhookSignatureScheme).Assembly);
