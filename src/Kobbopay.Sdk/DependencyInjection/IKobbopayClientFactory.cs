namespace Kobbopay.Sdk;

/// <summary>Hands out the named Kobbopay clients registered with <c>AddKobbopayClient(name, …)</c>, for example one for non-production and one for production, each with its own key.</summary>
public interface IKobbopayClientFactory
{
    /// <summary>Gets the client registered under <paramref name="name"/>.</summary>
    /// <param name="name">The name given to <c>AddKobbopayClient</c>.</param>
    /// <returns>The client.</returns>
    /// <exception cref="InvalidOperationException">No client was registered under that name.</exception>
    KobbopayClient CreateClient(string name);
}
