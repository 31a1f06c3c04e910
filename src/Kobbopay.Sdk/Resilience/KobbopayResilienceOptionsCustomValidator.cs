using System.Globalization;
using Microsoft.Extensions.Options;

namespace Kobbopay.Sdk.Resilience;

/// <summary>Checks the rules of <see cref="KobbopayResilienceOptions"/> that relate two settings; <see cref="KobbopayResilienceOptionsValidator"/> checks each setting alone.</summary>
internal static class KobbopayResilienceOptionsCustomValidator
{
    /// <summary>Checks every rule, each setting's and the cross-setting ones.</summary>
    /// <param name="options">The options.</param>
    /// <param name="path">The configuration path of the options (for example <c>Kobbopay:Resilience</c>); each message names its setting as <c>path:Name</c>.</param>
    /// <returns>The result, with one message per broken rule.</returns>
    public static ValidateOptionsResult Validate(KobbopayResilienceOptions options, string path)
    {
        ValidateOptionsResultBuilder builder = new();
        builder.AddResult(new KobbopayResilienceOptionsValidator().Validate(path, options));
        AddCrossSettingErrors(builder, options, path);
        return builder.Build();
    }

    /// <summary>Adds a message for each broken rule that relates two settings.</summary>
    /// <param name="builder">Collects the messages.</param>
    /// <param name="options">The options.</param>
    /// <param name="path">The configuration path of the options.</param>
    public static void AddCrossSettingErrors(ValidateOptionsResultBuilder builder, KobbopayResilienceOptions options, string path)
    {
        if (options.AttemptTimeout > options.TotalRequestTimeout)
        {
            builder.AddError($"{path}:{nameof(options.AttemptTimeout)} must be no longer than {nameof(options.TotalRequestTimeout)} ({Seconds(options.TotalRequestTimeout)}); it is {options.AttemptTimeout.ToString("c", CultureInfo.InvariantCulture)}.");
        }

        if (options.RetryBaseDelay > options.MaxRetryDelay)
        {
            builder.AddError($"{path}:{nameof(options.RetryBaseDelay)} must be no longer than {nameof(options.MaxRetryDelay)} ({Seconds(options.MaxRetryDelay)}); it is {options.RetryBaseDelay.ToString("c", CultureInfo.InvariantCulture)}.");
        }
    }

    private static string Seconds(TimeSpan value) =>
        value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
