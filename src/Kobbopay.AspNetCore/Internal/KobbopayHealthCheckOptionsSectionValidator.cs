using Microsoft.Extensions.Options;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>
/// Runs the generated <see cref="KobbopayHealthCheckOptionsValidator"/> under the options' configuration path, so each
/// message names its setting by key (<c>Kobbopay:HealthChecks:Window must be …</c>) rather than by the options' name.
/// </summary>
/// <param name="section">The configuration path the options are bound from, or named after when set in code.</param>
internal sealed class KobbopayHealthCheckOptionsSectionValidator(string section) : IValidateOptions<KobbopayHealthCheckOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, KobbopayHealthCheckOptions options) =>
        string.Equals(name, Options.DefaultName, StringComparison.Ordinal)
            ? new KobbopayHealthCheckOptionsValidator().Validate(section, options)
            : ValidateOptionsResult.Skip;
}
