using System.Reflection;

namespace Kobbopay.Docs.Tests;

/// <summary>Where the repository is: the build writes its root into the assembly (<c>KobbopayRepoRoot</c>).</summary>
internal static class Repository
{
    /// <summary>Gets the repository root.</summary>
    public static string Root { get; } =
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "KobbopayRepoRoot").Value
        ?? throw new InvalidOperationException("The build did not record KobbopayRepoRoot.");
}
