using Kobbopay.Webhooks;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>What the endpoint builds from one valid value of <see cref="KobbopayWebhookOptions"/>; rebuilt, and swapped in whole, when the configuration reloads.</summary>
/// <param name="Scheme">The signature scheme holding the secrets, or <see langword="null"/> when the application supplied its own.</param>
/// <param name="Ingress">The network controls.</param>
internal sealed record KobbopayWebhookSettings(IWebhookSignatureScheme? Scheme, WebhookIngressPolicy Ingress)
{
    /// <summary>Builds the settings from validated options.</summary>
    /// <param name="options">The options.</param>
    /// <param name="registration">Says whether the application supplied a scheme.</param>
    /// <param name="timeProvider">The clock of the Standard Webhooks tolerance.</param>
    /// <returns>The settings.</returns>
    public static KobbopayWebhookSettings Create(KobbopayWebhookOptions options, KobbopayWebhooksRegistration registration, TimeProvider timeProvider) =>
        new(registration.SignatureScheme is null ? KobbopayWebhookEndpoint.CreateScheme(options, timeProvider) : null, WebhookIngressPolicy.Create(options));
}
