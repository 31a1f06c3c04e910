using Microsoft.Extensions.Options;

namespace Kobbopay.Sdk.Internal;

/// <summary>
/// Checks the rule on each setting of <see cref="KobbopayClientOptions"/>, its <see cref="KobbopayClientOptions.Resilience"/>
/// included; written by the options validation source generator.
/// </summary>
[OptionsValidator]
internal sealed partial class KobbopayClientOptionsValidator : IValidateOptions<KobbopayClientOptions>;
