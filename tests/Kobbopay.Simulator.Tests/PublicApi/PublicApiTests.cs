using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.Simulator.Tests.PublicApi;

/// <summary>Guards the public surface of the Kobbopay.Simulator package.</summary>
public sealed class PublicApiTests() : PublicApiApprovalTests(typeof(KobbopaySimulator).Assembly);
