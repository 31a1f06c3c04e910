namespace Kobbopay.Sdk;

/// <summary>A create named a network and currency pair (or a precision) that the client's <see cref="KobbopayClientOptions.EnabledRails"/> do not allow; nothing was sent.</summary>
public sealed class KobbopayUnsupportedRailException : KobbopayException
{
    /// <summary>Initializes a new instance of the <see cref="KobbopayUnsupportedRailException"/> class.</summary>
    public KobbopayUnsupportedRailException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayUnsupportedRailException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public KobbopayUnsupportedRailException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayUnsupportedRailException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public KobbopayUnsupportedRailException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayUnsupportedRailException"/> class.</summary>
    /// <param name="network">The network asked for.</param>
    /// <param name="currency">The currency asked for.</param>
    /// <param name="message">What went wrong.</param>
    public KobbopayUnsupportedRailException(string network, string currency, string message)
        : base(message)
    {
        Network = network;
        Currency = currency;
    }

    /// <summary>Gets the network asked for.</summary>
    public string? Network { get; }

    /// <summary>Gets the currency asked for.</summary>
    public string? Currency { get; }
}
