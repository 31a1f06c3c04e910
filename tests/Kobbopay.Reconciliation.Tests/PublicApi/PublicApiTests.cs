using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.Reconciliation.Tests.PublicApi;

/// <summary>Guards the public surface of the Kobbopay.Reconciliation package.</summary>
public sealed class PublicApiTests() : PublicApiApprovalTests(typeof(KobbopayReconciler).Assembly);
