namespace Kobbopay.Simulator.BrowserTests.TestSupport;

/// <summary>
/// One headless Chromium for the browser tests, launched from the machine's install (<c>/usr/bin/chromium</c>, or
/// KOBBOPAY_CHROMIUM): Playwright never downloads a browser here. Without one the tests are skipped with how to install
/// it, unless KOBBOPAY_REQUIRE_BROWSER=1 (CI) makes that a failure. Each test gets its own context at 1280x800.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>The dashboard's target size: every page is this big.</summary>
    public static readonly ViewportSize Viewport = new() { Width = 1280, Height = 800 };

    private static readonly string[] Arguments =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _missing;

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("KOBBOPAY_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static bool Required => Environment.GetEnvironmentVariable("KOBBOPAY_REQUIRE_BROWSER") == "1";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            _missing = $"Chromium not found at {ExecutablePath}: install it (Debian: sudo apt-get install --no-install-recommends chromium) or set KOBBOPAY_CHROMIUM to its path.";
            return;
        }

        // Auto-waiting expectations: a CI box shared with builds is slow, so wait longer than Playwright's 5 s.
        SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
        });
    }

    /// <summary>Opens a page in a new context (1280x800); skips the test, or fails it under KOBBOPAY_REQUIRE_BROWSER=1, when there is no browser.</summary>
    public async Task<IPage> NewPageAsync()
    {
        if (_browser is null)
        {
            if (Required)
            {
                Assert.Fail("KOBBOPAY_REQUIRE_BROWSER=1 but " + _missing);
            }

            Assert.Skip(_missing!);
        }

        IBrowserContext context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Viewport });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
