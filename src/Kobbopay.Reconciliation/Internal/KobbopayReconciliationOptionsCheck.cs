using System.Globalization;
using Microsoft.Extensions.Options;

namespace Kobbopay.Reconciliation.Internal;

/// <summary>Checks every rule of <see cref="KobbopayReconciliationOptions"/>, each setting's and those relating two, naming each setting by its key.</summary>
internal sealed class KobbopayReconciliationOptionsCheck : IValidateOptions<KobbopayReconciliationOptions>
{
    private const string Path = KobbopayReconciliationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, KobbopayReconciliationOptions options)
    {
        ValidateOptionsResultBuilder builder = new();
        builder.AddResult(new KobbopayReconciliationOptionsValidator().Validate(Path, options));
        if (options.SettleTime >= options.Lookback)
        {
            builder.AddError(string.Create(CultureInfo.InvariantCulture, $"{Path}:{nameof(options.SettleTime)} must be shorter than {nameof(options.Lookback)} ({options.Lookback:c}); it is {options.SettleTime:c}."));
        }

        if (options.StatusMapping is null)
        {
            builder.AddError($"{Path}:{nameof(options.StatusMapping)} must be set (OrderStatusMapping.Identity when the books use the gateway's names).");
        }

        return builder.Build();
    }
}
