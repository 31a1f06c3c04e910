using Microsoft.Extensions.Options;

namespace Kobbopay.Reconciliation.Internal;

/// <summary>Checks the rule on each setting of <see cref="KobbopayReconciliationOptions"/>; written by the options validation source generator.</summary>
[OptionsValidator]
internal sealed partial class KobbopayReconciliationOptionsValidator : IValidateOptions<KobbopayReconciliationOptions>;
