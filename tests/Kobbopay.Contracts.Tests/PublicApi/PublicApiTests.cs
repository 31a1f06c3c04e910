using Kobbopay.Sdk;
using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.Contracts.Tests.PublicApi;

/// <summary>Guards the public surface of the Kobbopay.Contracts package.</summary>
public sealed class PublicApiTests() : PublicApiApprovalTests(typeof(Payment).Assembly);
