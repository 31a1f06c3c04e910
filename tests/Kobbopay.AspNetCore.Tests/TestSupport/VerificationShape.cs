namespace Kobbopay.AspNetCore.Tests.TestSupport;

/// <summary>The ways a merchant's own endpoint verifies Kobbopay webhooks.</summary>
public enum VerificationShape
{
    /// <summary>A minimal-API endpoint with <c>.RequireKobbopaySignature()</c>.</summary>
    EndpointConvention,

    /// <summary>A minimal-API endpoint in a route group with <c>.RequireKobbopaySignature()</c>.</summary>
    GroupConvention,

    /// <summary>An MVC action marked <c>[KobbopayWebhook]</c>.</summary>
    MvcAttribute,

    /// <summary><c>app.UseKobbopayWebhookVerification(prefix)</c> in front of a plain minimal-API endpoint.</summary>
    Middleware,
}
