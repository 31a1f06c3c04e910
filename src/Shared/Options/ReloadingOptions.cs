using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Kobbopay.Shared.Options;

/// <summary>
/// Follows the configuration reloads of one named options instance and holds what is built from its last valid value:
/// read <see cref="Current"/> on every request (one volatile read, nothing allocated), and a reload that validates is
/// in use from the very next one. A reload that fails validation is refused with a warning that lists the failures
/// (each names its setting, none shows a value) and the last valid value stays in use.
/// </summary>
/// <remarks>
/// The options framework's own <c>IOptionsMonitor</c> re-creates the options on the same change and, when they are
/// invalid, throws the <see cref="OptionsValidationException"/> to whatever reloaded the configuration; this class
/// creates its own copy through <see cref="IOptionsFactory{TOptions}"/>, so it neither depends on the order the two
/// hear of the change nor stops on that exception.
/// </remarks>
/// <typeparam name="TOptions">The options type.</typeparam>
/// <typeparam name="TValue">What is built from a valid value, for example a signature scheme holding the secrets.</typeparam>
internal sealed class ReloadingOptions<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions, TValue> : IDisposable
    where TOptions : class
    where TValue : class
{
    private readonly IOptionsFactory<TOptions> _factory;
    private readonly string _name;
    private readonly Func<TOptions, TValue> _build;
    private readonly ILogger _logger;
    private readonly List<IDisposable> _registrations = [];
    private volatile TValue _current;

    /// <summary>Initializes a new instance of the <see cref="ReloadingOptions{TOptions, TValue}"/> class from the options' present value.</summary>
    /// <param name="services">Resolves the options monitor, factory and change token sources.</param>
    /// <param name="name">The name of the options instance.</param>
    /// <param name="build">Builds the value from valid options; called once now and once per valid reload.</param>
    /// <param name="logger">Where refused and accepted reloads are logged.</param>
    /// <exception cref="OptionsValidationException">The present options are invalid.</exception>
    public ReloadingOptions(IServiceProvider services, string name, Func<TOptions, TValue> build, ILogger logger)
    {
        _factory = services.GetRequiredService<IOptionsFactory<TOptions>>();
        _name = name;
        _build = build;
        _logger = logger;
        _current = build(services.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name));
        foreach (IOptionsChangeTokenSource<TOptions> source in services.GetServices<IOptionsChangeTokenSource<TOptions>>())
        {
            if (string.Equals(source.Name ?? Microsoft.Extensions.Options.Options.DefaultName, name, StringComparison.Ordinal))
            {
                _registrations.Add(ChangeToken.OnChange(source.GetChangeToken, Reload));
            }
        }
    }

    /// <summary>Gets what was built from the last valid options.</summary>
    public TValue Current => _current;

    /// <summary>Stops following reloads.</summary>
    public void Dispose()
    {
        foreach (IDisposable registration in _registrations)
        {
            registration.Dispose();
        }

        _registrations.Clear();
    }

    private void Reload()
    {
        TOptions options;
        try
        {
            options = _factory.Create(_name);
        }
        catch (OptionsValidationException ex)
        {
            ReloadingOptionsLog.Refused(_logger, typeof(TOptions).Name, _name, string.Join(" ", ex.Failures));
            return;
        }

        _current = _build(options);
        ReloadingOptionsLog.Reloaded(_logger, typeof(TOptions).Name, _name);
    }
}
