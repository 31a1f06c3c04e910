using System.Runtime.CompilerServices;

namespace Kobbopay;

/// <summary>Argument checks that name the argument (one source file, compiled into each package that needs it).</summary>
internal static class Guard
{
    public static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where T : class => value ?? throw new ArgumentNullException(name);

    public static string NotNullOrEmpty(string? value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        return value;
    }
}
