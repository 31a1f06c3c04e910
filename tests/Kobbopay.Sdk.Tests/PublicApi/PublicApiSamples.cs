#pragma warning disable CA1711, CA1716, CA1805, CA1822, CA2227 // Sample shapes for PublicApiWriterTests; their design is not the point.
using System.Diagnostics.CodeAnalysis;

// Small public types that PublicApiWriterTests describes. Each Gadget namespace holds one version of the same type,
// so a test can show that a change of signature, an added member or a nullability change shows up in the text.
namespace Kobbopay.Sdk.Tests.PublicApi.Samples
{
    /// <summary>A class with one of each kind of member.</summary>
    public class Widget
    {
        public const string DefaultName = "widget";

        public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(1);

        public int Version;

        public Widget(string name)
        {
            Name = name;
        }

        protected Widget()
            : this(DefaultName)
        {
        }

        internal Widget(int hidden)
            : this(hidden.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
        }

        public event EventHandler<string>? Renamed;

        public string Name { get; }

        public string? Description { get; set; }

        public int Count { get; protected set; }

        public IReadOnlyList<string?> Tags { get; init; } = [];

        public required Dictionary<string, int?> Scores { get; set; }

        public string this[int index] => Name;

        protected virtual bool IsFrozen => false;

        public static int Sum(params int[] values) => values.Sum();

        public virtual Task<string> DescribeAsync(int count, string? prefix = null, CancellationToken cancellationToken = default)
            => Task.FromResult(prefix + Name);

        public bool TryGet(string key, [NotNullWhen(true)] out string? value)
        {
            value = key;
            Renamed?.Invoke(this, key);
            return true;
        }

        public void Update(ref int version, in DateTimeOffset at, WidgetFlags flags = WidgetFlags.Red | WidgetFlags.Blue)
        {
        }

        public (string Name, int Count) Pair() => (Name, Count);

        public override string ToString() => Name;

        internal void Hidden()
        {
        }

        protected internal void Reachable()
        {
        }

        private protected void NotReachable()
        {
        }
    }

    /// <summary>A flags enum with a non-int underlying type.</summary>
    [Flags]
    public enum WidgetFlags : byte
    {
        None = 0,
        Red = 1,
        Blue = 2,
        Both = Red | Blue,
    }

    /// <summary>A generic interface with variance and constraints.</summary>
    public interface IWidgetStore<in TKey, TValue>
        where TKey : notnull
        where TValue : class?
    {
        TValue? Find(TKey key);

        Task SaveAsync(TKey key, TValue value, CancellationToken cancellationToken);
    }

    /// <summary>An obsolete sealed class.</summary>
    [Obsolete("Use Widget.")]
    public sealed class OldWidget
    {
        public static T Create<T>(Func<T> factory)
            where T : Widget, new() => factory();
    }

    /// <summary>An experimental static class with an extension method.</summary>
    [Experimental("KPAY9999")]
    public static class WidgetExtensions
    {
        public static Widget Rename(this Widget widget, string name) => widget;
    }

    /// <summary>A delegate.</summary>
    public delegate void WidgetCallback(Widget widget, string? reason);

    /// <summary>A readonly struct with an operator.</summary>
    public readonly struct WidgetSize(int value) : IEquatable<WidgetSize>
    {
        public int Value { get; } = value;

        public static WidgetSize operator +(WidgetSize left, WidgetSize right) => new(left.Value + right.Value);

        public static implicit operator int(WidgetSize size) => size.Value;

        public static bool operator ==(WidgetSize left, WidgetSize right) => left.Equals(right);

        public static bool operator !=(WidgetSize left, WidgetSize right) => !left.Equals(right);

        public bool Equals(WidgetSize other) => Value == other.Value;

        public override bool Equals(object? obj) => obj is WidgetSize other && Equals(other);

        public override int GetHashCode() => Value;
    }

    /// <summary>A type the writer must skip.</summary>
    internal sealed class InternalWidget
    {
    }
}

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
