using Kobbopay.Webhooks;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>What <c>AddKobbopayWebhooks</c> and its builder recorded beyond the options: one instance per service collection.</summary>
internal sealed class KobbopayWebhooksRegistration(string section)
{
    /// <summary>Gets the configuration path of the options, for validation messages.</summary>
    public string Section { get; set; } = section;

    /// <summary>Gets or sets the signature scheme supplied by the application, or <see langword="null"/> to build one from the options.</summary>
    public Func<IServiceProvider, IWebhookSignatureScheme>? SignatureScheme { get; set; }

    /// <summary>Gets or sets whether the endpoint enqueues verified events in the inbox for the worker instead of running the handlers itself.</summary>
    public bool Queued { get; set; }
}
