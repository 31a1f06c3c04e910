using System.Reflection;
using PublicApiGenerator;

namespace Kobbopay.TestUtilities.PublicApi;

/// <summary>
/// The public API of a shipped assembly as text, by PublicApiGenerator, for <see cref="ApprovalFile.Verify(string, string, string)"/>.
/// Every package's approval test uses these options, so the files read alike.
/// </summary>
public static class PublicApiText
{
    // A new instance per call: PublicApiGenerator's Type[] overload sets IncludeTypes on the options it is given, which
    // would leave a shared instance describing only those types for every later assembly (an empty file in CI).
    private static ApiGeneratorOptions Options() => new()
    {
        // Extension classes in these namespaces would otherwise vanish from the output (PublicApiGenerator#32, #184).
        AllowNamespacePrefixes = ["Microsoft.Extensions.DependencyInjection", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Routing"],

        // Records print as records, with their positional members.
        TreatRecordsAsClasses = false,

        // Compiler-generated state machine attributes name generated types that change with every build.
        ExcludeAttributes = ["System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute", "System.Runtime.CompilerServices.AsyncStateMachineAttribute"],
        IncludeAssemblyAttributes = false,
    };

    /// <summary>Gets the public API of some types (with the same options), for tests of the gate itself.</summary>
    /// <param name="types">The types.</param>
    /// <returns>Their public members, as C# declarations.</returns>
    public static string Of(params Type[] types)
    {
        ArgumentNullException.ThrowIfNull(types);
        return types.GeneratePublicApi(Options());
    }

    /// <summary>Gets the public API of <paramref name="assembly"/>.</summary>
    /// <param name="assembly">A shipped assembly.</param>
    /// <returns>Its public types and members, as C# declarations.</returns>
    public static string Of(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GeneratePublicApi(Options());
    }
}
