namespace Kobbopay.Contracts;

/// <summary>The prefixes of the contract's keys and ids.</summary>
public static class KobbopayPrefixes
{
    /// <summary>The prefix of a non-production API key: <c>kp_test_</c>.</summary>
    public const string TestApiKey = "kp_test_";

    /// <summary>The prefix of a production API key: <c>kp_live_</c>.</summary>
    public const string LiveApiKey = "kp_live_";

    /// <summary>The prefix of a payment id: <c>pay_</c>.</summary>
    public const string Payment = "pay_";

    /// <summary>The prefix of an event id: <c>evt_</c>.</summary>
    public const string Event = "evt_";

    /// <summary>The prefix of a request id: <c>req_</c>.</summary>
    public const string Request = "req_";

    /// <summary>The prefix of a Standard Webhooks secret: <c>whsec_</c>.</summary>
    public const string StandardWebhooksSecret = "whsec_";
}
