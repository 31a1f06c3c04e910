using Microsoft.Extensions.Options;

namespace Kobbopay.AspNetCore.Queue;

/// <summary>Validates <see cref="KobbopayWebhookQueueOptions"/> under its conventional section name: each setting's rule, and that the first retry delay is not above the longest.</summary>
internal sealed class KobbopayWebhookQueueOptionsCustomValidator : IValidateOptions<KobbopayWebhookQueueOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, KobbopayWebhookQueueOptions options)
    {
        if (!string.Equals(name, Options.DefaultName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        const string Section = KobbopayWebhookQueueOptions.DefaultSectionName;
        ValidateOptionsResultBuilder builder = new();
        builder.AddResult(new KobbopayWebhookQueueOptionsValidator().Validate(Section, options));
        if (options.FirstRetryDelay > options.MaxRetryDelay)
        {
            builder.AddError($"{Section}:FirstRetryDelay ({options.FirstRetryDelay}) must not be longer than {Section}:MaxRetryDelay ({options.MaxRetryDelay}).");
        }

        return builder.Build();
    }
}
