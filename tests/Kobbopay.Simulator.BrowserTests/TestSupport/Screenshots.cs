namespace Kobbopay.Simulator.BrowserTests.TestSupport;

/// <summary>Writes screenshots to <c>artifacts/screenshots/&lt;name&gt;.png</c> under the repository root (the folder of Kobbopay.Sdk.sln).</summary>
internal static class Screenshots
{
    public static string Folder { get; } = Path.Combine(FindRoot(), "artifacts", "screenshots");

    /// <summary>Takes a screenshot of the page (the whole page, or the 1280x800 viewport) and checks that the file was written and is not empty.</summary>
    public static async Task<string> TakeAsync(IPage page, string name, bool fullPage = true)
    {
        Directory.CreateDirectory(Folder);
        string path = Path.Combine(Folder, name + ".png");
        File.Delete(path);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        FileInfo file = new(path);
        file.Exists.ShouldBeTrue(path);
        file.Length.ShouldBeGreaterThan(0, path);
        return path;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kobbopay.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Kobbopay.Sdk.sln above {AppContext.BaseDirectory}: the screenshots go under the repository root.");
    }
}
