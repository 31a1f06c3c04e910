using Microsoft.Extensions.Options;

namespace Kobbopay.Sdk.Resilience;

/// <summary>Checks the rule on each setting of <see cref="KobbopayResilienceOptions"/>; written by the options validation source generator.</summary>
[OptionsValidator]
internal sealed partial class KobbopayResilienceOptionsValidator : IValidateOptions<KobbopayResilienceOptions>;
