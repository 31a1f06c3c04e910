namespace Kobbopay.Sdk;

/// <summary>The gateway environment a client talks to. Each has its own keys, endpoints and rails; secrets are never shared between them.</summary>
public enum KobbopayEnvironment
{
    /// <summary>Non-production: API keys start with <c>kp_test_</c>.</summary>
    NonProduction,

    /// <summary>Production: API keys start with <c>kp_live_</c>.</summary>
    Production,
}
