using System.Buffers;
using Kobbopay.Shared.Options;
using Kobbopay.Webhooks;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>
/// The signature scheme of the options' secrets as they are now: each verification goes to the scheme built from the
/// last valid <see cref="KobbopayWebhookOptions"/> (one volatile read, nothing allocated), so a secret added or removed
/// by a configuration reload counts from the next delivery.
/// </summary>
/// <param name="settings">The settings that follow the reloads.</param>
internal sealed class ReloadingSignatureScheme(ReloadingOptions<KobbopayWebhookOptions, KobbopayWebhookSettings> settings) : IWebhookSignatureScheme
{
    /// <inheritdoc/>
    public string Name => Scheme.Name;

    private IWebhookSignatureScheme Scheme => settings.Current.Scheme!;

    /// <inheritdoc/>
    public WebhookVerificationResult Verify<THeaders>(ReadOnlySpan<byte> body, THeaders headers)
        where THeaders : IWebhookHeaders => Scheme.Verify(body, headers);

    /// <inheritdoc/>
    public WebhookVerificationResult Verify<THeaders>(in ReadOnlySequence<byte> body, THeaders headers)
        where THeaders : IWebhookHeaders => Scheme.Verify(in body, headers);

    /// <inheritdoc/>
    public override string ToString() => Scheme.ToString() ?? Name;
}
