using Microsoft.Extensions.Configuration;

namespace Kobbopay.TestUtilities;

/// <summary>
/// A configuration source whose whole content a test replaces at run time. <see cref="Replace"/> loads the new values
/// and raises the provider's reload token, as the JSON file provider does when <c>appsettings.json</c> changes on disk:
/// the configuration built over it, and every options instance bound to it, see the change.
/// </summary>
/// <param name="values">The first values, as flat keys (<c>Kobbopay:Webhooks:Secrets:0</c>).</param>
public sealed class ReloadableConfigurationSource(IDictionary<string, string?> values) : IConfigurationSource
{
    private readonly List<Provider> _providers = [];
    private Dictionary<string, string?> _values = new(values, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        Provider provider = new(this);
        _providers.Add(provider);
        return provider;
    }

    /// <summary>Replaces every value and reloads. What the listeners of the reload throw comes out of here, as it would out of a file watcher's callback.</summary>
    /// <param name="newValues">The new values; a key left out is gone.</param>
    public void Replace(IDictionary<string, string?> newValues)
    {
        _values = new(newValues, StringComparer.OrdinalIgnoreCase);
        foreach (Provider provider in _providers)
        {
            provider.Reload();
        }
    }

    private sealed class Provider(ReloadableConfigurationSource source) : ConfigurationProvider
    {
        public override void Load() => Data = new Dictionary<string, string?>(source._values, StringComparer.OrdinalIgnoreCase);

        public void Reload()
        {
            Load();
            OnReload();
        }
    }
}
