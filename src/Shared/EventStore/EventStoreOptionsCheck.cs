using Microsoft.Extensions.Options;

namespace Kobbopay.EventStore.Internal;

/// <summary>Runs a store's options validators where the store is built by hand, without dependency injection.</summary>
internal static class EventStoreOptionsCheck
{
    /// <summary>Validates <paramref name="options"/> with each validator and throws one exception naming every failure.</summary>
    /// <typeparam name="TOptions">The options.</typeparam>
    /// <param name="options">The options.</param>
    /// <param name="validators">The generated per-setting validator and the cross-field one.</param>
    /// <returns>The options, valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names each setting.</exception>
    public static TOptions Valid<TOptions>(TOptions options, params ReadOnlySpan<IValidateOptions<TOptions>> validators)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        foreach (IValidateOptions<TOptions> validator in validators)
        {
            if (validator.Validate(Options.DefaultName, options) is { Failed: true } result)
            {
                failures.AddRange(result.Failures);
            }
        }

        return failures.Count > 0 ? throw new ArgumentException(string.Join(" ", failures), nameof(options)) : options;
    }
}
