using Microsoft.Extensions.Options;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>Checks the rule on each setting of <see cref="KobbopayHealthCheckOptions"/>; written by the options validation source generator.</summary>
[OptionsValidator]
internal sealed partial class KobbopayHealthCheckOptionsValidator : IValidateOptions<KobbopayHealthCheckOptions>;
