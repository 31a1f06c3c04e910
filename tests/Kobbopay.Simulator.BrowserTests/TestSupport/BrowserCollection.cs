namespace Kobbopay.Simulator.BrowserTests.TestSupport;

/// <summary>The browser tests share one Chromium (<see cref="BrowserFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
