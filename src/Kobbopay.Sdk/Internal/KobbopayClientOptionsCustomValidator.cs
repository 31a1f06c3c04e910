using Kobbopay.Contracts;
using Kobbopay.Sdk.Resilience;
using Kobbopay.Shared.Options;
using Microsoft.Extensions.Options;

namespace Kobbopay.Sdk.Internal;

/// <summary>
/// Validates the options of the Kobbopay client registered as <see cref="Name"/>: each setting's rule (checked by
/// <see cref="KobbopayClientOptionsValidator"/>, the generated validator) and the rules that relate settings, every
/// message naming its setting by configuration key under the client's section.
/// </summary>
/// <remarks>
/// The generated validator is not registered on its own: the options framework would call it with the options' name,
/// and the messages need the configuration path, which only the registration knows.
/// </remarks>
/// <param name="name">The client's name: the name of its options.</param>
/// <param name="section">The configuration path of its options, for the messages.</param>
internal sealed class KobbopayClientOptionsCustomValidator(string name, string section) : IValidateOptions<KobbopayClientOptions>
{
    /// <summary>Gets the name of the client whose options this validates.</summary>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, KobbopayClientOptions options) =>
        string.Equals(name, Name, StringComparison.Ordinal) ? Validate(options, section) : ValidateOptionsResult.Skip;

    /// <summary>Checks every rule of <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="section">The configuration path of the options; each message names its setting as <c>section:Name</c>.</param>
    /// <returns>The result, with one message per broken rule.</returns>
    public static ValidateOptionsResult Validate(KobbopayClientOptions options, string section)
    {
        ValidateOptionsResultBuilder builder = new();
        builder.AddResult(new KobbopayClientOptionsValidator().Validate(section, options));
        if (EnumSettings.Check(options.Environment, section + ":Environment") is { } environment)
        {
            builder.AddError(environment);
        }
        else
        {
            AddApiKeyError(builder, options, section);
        }

        for (int i = 0; i < options.EnabledRails.Count; i++)
        {
            KobbopayRail? rail = options.EnabledRails[i];
            if (rail is null || string.IsNullOrWhiteSpace(rail.Network) || string.IsNullOrWhiteSpace(rail.Currency))
            {
                builder.AddError($"{section}:EnabledRails:{i} needs a Network and a Currency.");
            }
            else if (rail.Decimals is < 0 or > 28)
            {
                builder.AddError($"{section}:EnabledRails:{i} Decimals must be between 0 and 28.");
            }
        }

        if (options.Resilience is null)
        {
            builder.AddError($"{section}:Resilience must not be null.");
        }
        else
        {
            KobbopayResilienceOptionsCustomValidator.AddCrossSettingErrors(builder, options.Resilience, section + ":Resilience");
        }

        return builder.Build();
    }

    // The key must belong to the environment the client is for; never shown in a message.
    private static void AddApiKeyError(ValidateOptionsResultBuilder builder, KobbopayClientOptions options, string section)
    {
        KobbopayEnvironment environment = options.Environment;
        string expected = environment == KobbopayEnvironment.Production ? KobbopayPrefixes.LiveApiKey : KobbopayPrefixes.TestApiKey;
        string other = environment == KobbopayEnvironment.Production ? KobbopayPrefixes.TestApiKey : KobbopayPrefixes.LiveApiKey;
        string? key = options.ApiKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            builder.AddError($"{section}:ApiKey is required: a {expected}… key for the {environment} environment.");
        }
        else if (key.StartsWith(other, StringComparison.Ordinal))
        {
            builder.AddError($"{section}:ApiKey is a key of the other environment ({other}…) but {section}:Environment is {environment}; a {environment} client needs a {expected}… key.");
        }
        else if (!key.StartsWith(expected, StringComparison.Ordinal) || key.Length == expected.Length)
        {
            builder.AddError($"{section}:ApiKey must start with {expected} for the {environment} environment.");
        }
        else if (key.Any(c => c is <= ' ' or >= (char)127))
        {
            builder.AddError($"{section}:ApiKey must be printable ASCII without spaces.");
        }
    }
}
