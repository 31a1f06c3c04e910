namespace Kobbopay.Cli.Configuration;

/// <summary>The environment variables the CLI reads, in one place.</summary>
internal static class CliSettingNames
{
    /// <summary>The gateway's base address.</summary>
    public const string BaseAddress = "KOBBOPAY_BASE_ADDRESS";

    /// <summary>The API key (<c>kp_test_…</c> or <c>kp_live_…</c>).</summary>
    public const string ApiKey = "KOBBOPAY_API_KEY";

    /// <summary>The webhook signing secret doctor checks.</summary>
    public const string WebhookSecret = "KOBBOPAY_WEBHOOK_SECRET";

    /// <summary>The webhook signature scheme doctor checks the secret against.</summary>
    public const string WebhookScheme = "KOBBOPAY_WEBHOOK_SCHEME";
}
