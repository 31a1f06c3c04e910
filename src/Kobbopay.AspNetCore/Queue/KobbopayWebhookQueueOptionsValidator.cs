using Microsoft.Extensions.Options;

namespace Kobbopay.AspNetCore.Queue;

/// <summary>Checks the rule on each setting of <see cref="KobbopayWebhookQueueOptions"/>; written by the options validation source generator.</summary>
[OptionsValidator]
internal sealed partial class KobbopayWebhookQueueOptionsValidator : IValidateOptions<KobbopayWebhookQueueOptions>;
