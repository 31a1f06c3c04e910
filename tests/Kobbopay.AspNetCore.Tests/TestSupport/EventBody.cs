namespace Kobbopay.AspNetCore.Tests.TestSupport;

/// <summary>The merchant's own model of a webhook body, bound with <c>[FromBody]</c> after verification.</summary>
public sealed record EventBody(string Id, string Type);
