using Microsoft.Extensions.Logging;

namespace Kobbopay.Shared.Options;

/// <summary>The log messages of <see cref="ReloadingOptions{TOptions, TValue}"/> (event ids 60 and 61): the options' type and name and the validation failures, which name settings and never show a value.</summary>
internal static partial class ReloadingOptionsLog
{
    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "Reloaded {OptionsType} '{OptionsName}' refused, the last valid settings stay in use: {Failures}")]
    public static partial void Refused(ILogger logger, string optionsType, string optionsName, string failures);

    [LoggerMessage(EventId = 61, Level = LogLevel.Information, Message = "Reloaded {OptionsType} '{OptionsName}' in use from the next request")]
    public static partial void Reloaded(ILogger logger, string optionsType, string optionsName);
}
