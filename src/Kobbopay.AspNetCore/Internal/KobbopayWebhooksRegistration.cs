using Kobbopay.Webhooks;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>What <c>AddKobbopayWebhooks</c> and its builder recorded beyond the options: one instance per service collection.</summary>
internal sealed class KobbopayWebhooksRegistration(string section)
{
    /// <summary>Gets the configuration path of the options, for validation messages.</summary>
    public string Section { get; set; } = section;

    /// <summary>Gets or sets the signature scheme supplied by the application, or <see langword="null"/> to build one from the options.</summary>
    public Func<IServiceProvider, IWebhookSignatureScheme>? SignatureScheme { get; set; }
}
