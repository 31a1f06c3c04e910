using System.ComponentModel.DataAnnotations;

namespace Kobbopay.Shared.Options;

/// <summary>
/// A rule on one setting of an options class, checked by the validator the <c>[OptionsValidator]</c> source generator
/// writes. A failure names the setting by its configuration key: <c>Kobbopay:Resilience:MaxRetryAttempts must be …</c>.
/// </summary>
/// <remarks>
/// The generated validator names a member <c>{name}.{Member}</c> (a nested one <c>{name}.{Member}.{Member}</c>), where
/// <c>name</c> is what it is called with; our validators call it with the configuration path of the options, so the key
/// is that name with ':' between its parts. The standard attributes cannot say this: they print the dotted name, and the
/// generated copy of <c>[Range]</c> ignores <c>ErrorMessage</c> (dotnet/runtime#123137).
/// </remarks>
[AttributeUsage(AttributeTargets.Property)]
internal abstract class SettingRuleAttribute : ValidationAttribute
{
    /// <inheritdoc/>
    public override bool RequiresValidationContext => true;

    /// <summary>Turns the name the generated validator gives a member into its configuration key.</summary>
    /// <param name="displayName">The member's name, for example <c>Kobbopay.Resilience.MaxRetryAttempts</c>.</param>
    /// <returns>The key, for example <c>Kobbopay:Resilience:MaxRetryAttempts</c>.</returns>
    internal static string ConfigurationKey(string displayName) => displayName.Replace('.', ':');

    /// <inheritdoc/>
    protected sealed override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        Check(value) is { } problem
            ? new ValidationResult(ConfigurationKey(validationContext.DisplayName) + " " + problem)
            : ValidationResult.Success;

    /// <summary>Says what is wrong with <paramref name="value"/> (<c>must be …</c>), never showing a secret.</summary>
    /// <param name="value">The setting's value.</param>
    /// <returns>The problem, or <see langword="null"/> when the value is valid.</returns>
    protected abstract string? Check(object? value);
}
