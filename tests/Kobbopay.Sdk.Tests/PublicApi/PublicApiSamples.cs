#pragma warning disable CA1711, CA1716, CA1805, CA1822, CA2227 // Sample shapes for PublicApiGateTests; their design is not the point.
using System.Diagnostics.CodeAnalysis;

// Small public types that PublicApiGateTests compares. Each Gadget namespace holds one version of the same type,
// so a test can show that a change of signature, an added member or a nullability change shows up in the text.
namespace Kobbopay.Sdk.Tests.PublicApi.Samples.Before
{
    /// <summary>The approved version of Gadget.</summary>
    public sealed class Gadget
    {
        public string Describe(int count) => count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

namespace Kobbopay.Sdk.Tests.PublicApi.Samples.SignatureChanged
{
    /// <summary>Gadget with a changed parameter type.</summary>
    public sealed class Gadget
    {
        public string Describe(long count) => count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

namespace Kobbopay.Sdk.Tests.PublicApi.Samples.MemberAdded
{
    /// <summary>Gadget with one more method.</summary>
    public sealed class Gadget
    {
        public string Describe(int count) => count.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public void Reset()
        {
        }
    }
}

namespace Kobbopay.Sdk.Tests.PublicApi.Samples.NullabilityChanged
{
    /// <summary>Gadget whose return value became nullable.</summary>
    public sealed class Gadget
    {
        public string? Describe(int count) => count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

namespace Kobbopay.Sdk.Tests.PublicApi.Samples.ParameterRenamed
{
    /// <summary>Gadget with a renamed parameter (a break for callers using named arguments).</summary>
    public sealed class Gadget
    {
        public string Describe(int amount) => amount.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
