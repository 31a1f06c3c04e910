using System.Collections.ObjectModel;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Kobbopay.TestUtilities.PublicApi;

/// <summary>
/// Writes the public and protected surface of an assembly as sorted, C#-like text for an approval test.
/// </summary>
/// <remarks>
/// <para>
/// The text is meant to be read in a diff, not compiled. It lists, per namespace and type (sorted ordinally), the type's
/// kind, modifiers, base type, interfaces and generic constraints, then its members grouped as fields, constructors,
/// properties, events and methods, each with its full signature: parameter names, <c>ref</c>/<c>out</c>/<c>in</c>,
/// <c>params</c>, default values and nullable annotations (read through <see cref="NullabilityInfoContext"/>).
/// Attributes are shown only when they matter to a caller: obsolete, experimental, flags, trimming and AOT
/// requirements, editor visibility, required-member constructors and the nullable-flow attributes.
/// </para>
/// <para>
/// Types are named in full (<c>System.Threading.CancellationToken</c>) except for C# keywords, so the text is the same on
/// every machine. Nothing that changes from build to build (versions, metadata tokens, file paths) is written.
/// Interfaces are listed when the type adds them (not those its base class already implements). Known gaps: nullable
/// annotations inside base types, interfaces and constraint types are not shown (reflection does not expose them), and a
/// member that hides an inherited one is not marked <c>new</c>.
/// </para>
/// </remarks>
public static class PublicApiWriter
{
    private const BindingFlags DeclaredMembers =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private const string Indent = "    ";

    // Attributes on types and members that change how a caller may use them.
    private static readonly HashSet<string> s_callerAttributes = new(StringComparer.Ordinal)
    {
        "System.ObsoleteAttribute",
        "System.FlagsAttribute",
        "System.Diagnostics.CodeAnalysis.ExperimentalAttribute",
        "System.Diagnostics.CodeAnalysis.RequiresUnreferencedCodeAttribute",
        "System.Diagnostics.CodeAnalysis.RequiresDynamicCodeAttribute",
        "System.Diagnostics.CodeAnalysis.RequiresAssemblyFilesAttribute",
        "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute",
        "System.Diagnostics.CodeAnalysis.DoesNotReturnAttribute",
        "System.Diagnostics.CodeAnalysis.MemberNotNullAttribute",
        "System.Diagnostics.CodeAnalysis.MemberNotNullWhenAttribute",
        "System.ComponentModel.EditorBrowsableAttribute",
    };

    // Nullable-flow attributes on parameters, return values, properties and fields.
    private static readonly HashSet<string> s_flowAttributes = new(StringComparer.Ordinal)
    {
        AllowNull,
        DisallowNull,
        MaybeNull,
        NotNull,
        "System.Diagnostics.CodeAnalysis.MaybeNullWhenAttribute",
        "System.Diagnostics.CodeAnalysis.NotNullWhenAttribute",
        "System.Diagnostics.CodeAnalysis.NotNullIfNotNullAttribute",
        "System.Diagnostics.CodeAnalysis.DoesNotReturnIfAttribute",
    };

    private const string AllowNull = "System.Diagnostics.CodeAnalysis.AllowNullAttribute";
    private const string DisallowNull = "System.Diagnostics.CodeAnalysis.DisallowNullAttribute";
    private const string MaybeNull = "System.Diagnostics.CodeAnalysis.MaybeNullAttribute";
    private const string NotNull = "System.Diagnostics.CodeAnalysis.NotNullAttribute";

    private static readonly Dictionary<Type, string> s_keywords = new()
    {
        [typeof(void)] = "void",
        [typeof(object)] = "object",
        [typeof(string)] = "string",
        [typeof(bool)] = "bool",
        [typeof(char)] = "char",
        [typeof(byte)] = "byte",
        [typeof(sbyte)] = "sbyte",
        [typeof(short)] = "short",
        [typeof(ushort)] = "ushort",
        [typeof(int)] = "int",
        [typeof(uint)] = "uint",
        [typeof(long)] = "long",
        [typeof(ulong)] = "ulong",
        [typeof(nint)] = "nint",
        [typeof(nuint)] = "nuint",
        [typeof(float)] = "float",
        [typeof(double)] = "double",
        [typeof(decimal)] = "decimal",
    };

    private static readonly Dictionary<string, string> s_operators = new(StringComparer.Ordinal)
    {
        ["op_Addition"] = "+",
        ["op_Subtraction"] = "-",
        ["op_Multiply"] = "*",
        ["op_Division"] = "/",
        ["op_Modulus"] = "%",
        ["op_BitwiseAnd"] = "&",
        ["op_BitwiseOr"] = "|",
        ["op_ExclusiveOr"] = "^",
        ["op_LeftShift"] = "<<",
        ["op_RightShift"] = ">>",
        ["op_UnsignedRightShift"] = ">>>",
        ["op_Equality"] = "==",
        ["op_Inequality"] = "!=",
        ["op_LessThan"] = "<",
        ["op_GreaterThan"] = ">",
        ["op_LessThanOrEqual"] = "<=",
        ["op_GreaterThanOrEqual"] = ">=",
        ["op_UnaryPlus"] = "+",
        ["op_UnaryNegation"] = "-",
        ["op_LogicalNot"] = "!",
        ["op_OnesComplement"] = "~",
        ["op_Increment"] = "++",
        ["op_Decrement"] = "--",
        ["op_True"] = "true",
        ["op_False"] = "false",
        ["op_CheckedAddition"] = "checked +",
        ["op_CheckedSubtraction"] = "checked -",
        ["op_CheckedMultiply"] = "checked *",
        ["op_CheckedDivision"] = "checked /",
        ["op_CheckedUnaryNegation"] = "checked -",
        ["op_CheckedIncrement"] = "checked ++",
        ["op_CheckedDecrement"] = "checked --",
    };

    /// <summary>Writes the public surface of <paramref name="assembly"/>: every type a caller outside it can see.</summary>
    /// <param name="assembly">The assembly to describe.</param>
    /// <returns>The surface as text with <c>\n</c> line endings, ending in a newline.</returns>
    public static string Write(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var header = $"// Public API of {assembly.GetName().Name}. Written by PublicApiWriter: approve changes, do not edit by hand.";
        return Write(assembly.GetTypes(), header);
    }

    /// <summary>Writes the surface of the given types (those a caller outside their assembly can see; others are skipped).</summary>
    /// <param name="types">The types to describe, in any order; nested types are not added automatically.</param>
    /// <returns>The surface as text with <c>\n</c> line endings, ending in a newline.</returns>
    public static string Write(IEnumerable<Type> types) => Write(types, header: null);

    private static string Write(IEnumerable<Type> types, string? header)
    {
        ArgumentNullException.ThrowIfNull(types);
        var writer = new Writer();
        var exposed = types.Where(IsExposed).Distinct().ToList();
        var builder = new StringBuilder();
        if (header is not null)
        {
            builder.Append(header).Append('\n');
        }

        foreach (var ns in exposed.GroupBy(t => t.Namespace ?? string.Empty).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (builder.Length > 0)
            {
                builder.Append('\n');
            }

            builder.Append("namespace ").Append(ns.Key.Length == 0 ? "global" : ns.Key).Append('\n').Append("{\n");
            var first = true;
            foreach (var type in ns.OrderBy(TypeSortKey, StringComparer.Ordinal))
            {
                if (!first)
                {
                    builder.Append('\n');
                }

                first = false;
                writer.WriteType(builder, type);
            }

            builder.Append("}\n");
        }

        return builder.ToString();
    }

    private static string TypeSortKey(Type type)
    {
        var name = type.FullName ?? type.Name;
        if (type.Namespace is { Length: > 0 } ns && name.StartsWith(ns + ".", StringComparison.Ordinal))
        {
            name = name[(ns.Length + 1)..];
        }

        return name.Replace('+', '.');
    }

    private static bool IsExposed(Type type)
    {
        if (IsUnspeakable(type.Name))
        {
            return false;
        }

        if (!type.IsNested)
        {
            return type.IsPublic;
        }

        return (type.IsNestedPublic || type.IsNestedFamily || type.IsNestedFamORAssem) && IsExposed(type.DeclaringType!);
    }

    private static bool IsExposed(MethodBase? method)
        => method is not null && (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly);

    private static bool IsExposed(FieldInfo field) => field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly;

    private static bool IsUnspeakable(string name) => name.Contains('<', StringComparison.Ordinal) || name.Contains('$', StringComparison.Ordinal);

    private static string Access(MethodBase method) => method.IsPublic ? "public" : "protected";

    private static bool HasAttribute(IEnumerable<CustomAttributeData> attributes, string fullName)
        => attributes.Any(a => a.AttributeType.FullName == fullName);

    private static IList<CustomAttributeData> SafeAttributes(Func<IList<CustomAttributeData>> read)
    {
        try
        {
            return read();
        }
        catch (FileNotFoundException)
        {
            // An attribute whose assembly is not loadable cannot matter to this description.
            return [];
        }
    }

    /// <summary>The per-call state: a <see cref="NullabilityInfoContext"/> (not thread-safe, so never shared).</summary>
    private sealed class Writer
    {
        private readonly NullabilityInfoContext _nullability = new();

        public void WriteType(StringBuilder builder, Type type)
        {
            var typeAttributes = MemberAttributes(type);
            WriteAttributes(builder, Indent, typeAttributes, s_callerAttributes);

            if (type.IsSubclassOf(typeof(MulticastDelegate)))
            {
                var invoke = type.GetMethod("Invoke")!;
                builder.Append(Indent).Append(TypeAccess(type)).Append(" delegate ")
                    .Append(ReturnType(invoke)).Append(' ').Append(DeclaredName(type)).Append(TypeParameters(type))
                    .Append('(').Append(Parameters(invoke)).Append(')').Append(Constraints(OwnGenericArguments(type)))
                    .Append(";\n");
                return;
            }

            builder.Append(Indent).Append(TypeModifiers(type, typeAttributes)).Append(' ')
                .Append(DeclaredName(type)).Append(TypeParameters(type));

            var bases = new List<string>();
            if (type.IsEnum)
            {
                var underlying = Enum.GetUnderlyingType(type);
                if (underlying != typeof(int))
                {
                    bases.Add(FormatType(underlying, null));
                }
            }
            else
            {
                var baseType = type.BaseType;
                if (baseType is not null && baseType != typeof(object) && baseType != typeof(ValueType))
                {
                    bases.Add(FormatType(baseType, null));
                }

                // Interfaces the base class already implements are part of the base class's surface, not this type's.
                var inherited = baseType?.GetInterfaces() ?? [];
                bases.AddRange(type.GetInterfaces()
                    .Where(i => IsExposed(i) && !inherited.Contains(i))
                    .Select(i => FormatType(i, null))
                    .Order(StringComparer.Ordinal));
            }

            if (bases.Count > 0)
            {
                builder.Append(" : ").Append(string.Join(", ", bases));
            }

            builder.Append(Constraints(OwnGenericArguments(type))).Append('\n');
            builder.Append(Indent).Append("{\n");
            if (type.IsEnum)
            {
                WriteEnumMembers(builder, type);
            }
            else
            {
                WriteMembers(builder, type);
            }

            builder.Append(Indent).Append("}\n");
        }

        private static string TypeAccess(Type type) => type.IsPublic || type.IsNestedPublic ? "public" : "protected";

        private static string TypeModifiers(Type type, IList<CustomAttributeData> attributes)
        {
            var access = TypeAccess(type);
            if (type.IsInterface)
            {
                return access + " interface";
            }

            if (type.IsEnum)
            {
                return access + " enum";
            }

            var record = IsRecord(type);
            if (type.IsValueType)
            {
                var parts = new List<string> { access };
                if (HasAttribute(attributes, "System.Runtime.CompilerServices.IsReadOnlyAttribute"))
                {
                    parts.Add("readonly");
                }

                if (type.IsByRefLike)
                {
                    parts.Add("ref");
                }

                parts.Add(record ? "record struct" : "struct");
                return string.Join(' ', parts);
            }

            var kind = record ? "record" : "class";
            if (type.IsAbstract && type.IsSealed)
            {
                return access + " static " + kind;
            }

            if (type.IsAbstract)
            {
                return access + " abstract " + kind;
            }

            return type.IsSealed ? access + " sealed " + kind : access + " " + kind;
        }

        private static bool IsRecord(Type type)
        {
            if (!type.IsValueType && type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance) is not null)
            {
                return true;
            }

            var printMembers = type.GetMethod(
                "PrintMembers", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly, [typeof(StringBuilder)]);
            return printMembers is not null
                && HasAttribute(printMembers.GetCustomAttributesData(), "System.Runtime.CompilerServices.CompilerGeneratedAttribute");
        }

        private void WriteEnumMembers(StringBuilder builder, Type type)
        {
            var members = type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => (Field: f, Value: f.GetRawConstantValue()!))
                .OrderBy(m => Convert.ToDecimal(m.Value, CultureInfo.InvariantCulture))
                .ThenBy(m => m.Field.Name, StringComparer.Ordinal);
            foreach (var (field, value) in members)
            {
                WriteAttributes(builder, Indent + Indent, SafeAttributes(field.GetCustomAttributesData), s_callerAttributes);
                builder.Append(Indent).Append(Indent).Append(field.Name).Append(" = ")
                    .Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append(",\n");
            }
        }

        private void WriteMembers(StringBuilder builder, Type type)
        {
            var isInterface = type.IsInterface;
            var members = type.GetMembers(DeclaredMembers);
            var lines = new List<(int Group, string Name, string Text)>();

            foreach (var field in members.OfType<FieldInfo>().Where(f => IsExposed(f) && !IsUnspeakable(f.Name)))
            {
                lines.Add((0, field.Name, Field(field)));
            }

            foreach (var ctor in members.OfType<ConstructorInfo>().Where(c => !c.IsStatic && IsExposed(c)))
            {
                lines.Add((1, string.Empty, Constructor(ctor, type)));
            }

            foreach (var property in members.OfType<PropertyInfo>())
            {
                var text = Property(property, isInterface);
                if (text is not null)
                {
                    lines.Add((2, property.Name, text));
                }
            }

            foreach (var evt in members.OfType<EventInfo>().Where(e => IsExposed(e.AddMethod) && !IsUnspeakable(e.Name)))
            {
                lines.Add((3, evt.Name, Event(evt, isInterface)));
            }

            foreach (var method in members.OfType<MethodInfo>().Where(m => IsExposed(m) && !IsUnspeakable(m.Name)))
            {
                var isOperator = method.IsSpecialName && s_operators.ContainsKey(method.Name)
                    || method.Name is "op_Implicit" or "op_Explicit";
                if (method.IsSpecialName && !isOperator)
                {
                    continue; // property and event accessors
                }

                lines.Add((isOperator ? 5 : 4, method.Name, Method(method, isInterface, isOperator)));
            }

            foreach (var line in lines
                .OrderBy(l => l.Group)
                .ThenBy(l => l.Name, StringComparer.Ordinal)
                .ThenBy(l => l.Text, StringComparer.Ordinal))
            {
                builder.Append(line.Text);
            }
        }

        private string Field(FieldInfo field)
        {
            var attributes = SafeAttributes(field.GetCustomAttributesData);
            var builder = new StringBuilder();
            WriteAttributes(builder, Indent + Indent, attributes, s_callerAttributes);
            WriteAttributes(builder, Indent + Indent, attributes, s_flowAttributes);
            builder.Append(Indent).Append(Indent).Append(field.IsPublic ? "public" : "protected");
            var info = _nullability.Create(field);
            var type = FormatType(field.FieldType, info, TopState(info, attributes), TupleNames(attributes), UsageAnnotations.For(attributes, field));
            if (field.IsLiteral)
            {
                builder.Append(" const ").Append(type).Append(' ').Append(field.Name).Append(" = ")
                    .Append(Literal(field.GetRawConstantValue(), field.FieldType)).Append(";\n");
                return builder.ToString();
            }

            if (field.IsStatic && field.IsInitOnly && DecimalConstant(attributes) is { } constant)
            {
                // A decimal constant is a static readonly field carrying its value in [DecimalConstant].
                builder.Append(" const decimal ").Append(field.Name).Append(" = ").Append(Literal(constant, typeof(decimal))).Append(";\n");
                return builder.ToString();
            }

            if (field.IsStatic)
            {
                builder.Append(" static");
            }

            if (field.IsInitOnly)
            {
                builder.Append(" readonly");
            }

            if (HasAttribute(attributes, "System.Runtime.CompilerServices.RequiredMemberAttribute"))
            {
                builder.Append(" required");
            }

            builder.Append(' ').Append(type).Append(' ').Append(field.Name).Append(";\n");
            return builder.ToString();
        }

        private static decimal? DecimalConstant(IList<CustomAttributeData> attributes)
        {
            var attribute = attributes.FirstOrDefault(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.DecimalConstantAttribute");
            if (attribute is not { ConstructorArguments.Count: 5 })
            {
                return null;
            }

            var args = attribute.ConstructorArguments.Select(a => a.Value).ToList();
            static int Part(object? value) => value is uint u ? unchecked((int)u) : Convert.ToInt32(value, CultureInfo.InvariantCulture);
            return new decimal(Part(args[4]), Part(args[3]), Part(args[2]), Convert.ToByte(args[1], CultureInfo.InvariantCulture) != 0,
                Convert.ToByte(args[0], CultureInfo.InvariantCulture));
        }

        private string Constructor(ConstructorInfo ctor, Type type)
        {
            var builder = new StringBuilder();
            WriteAttributes(builder, Indent + Indent, MemberAttributes(ctor), s_callerAttributes);
            builder.Append(Indent).Append(Indent).Append(Access(ctor)).Append(' ').Append(DeclaredName(type, withDeclaringTypes: false))
                .Append('(').Append(Parameters(ctor)).Append(");\n");
            return builder.ToString();
        }

        private string? Property(PropertyInfo property, bool isInterface)
        {
            var getter = property.GetMethod is { } g && IsExposed(g) ? g : null;
            var setter = property.SetMethod is { } s && IsExposed(s) ? s : null;
            var main = getter is not null && (getter.IsPublic || setter is null || !setter.IsPublic) ? getter : setter;
            if (main is null || IsUnspeakable(property.Name))
            {
                return null;
            }

            var attributes = SafeAttributes(property.GetCustomAttributesData);
            var builder = new StringBuilder();
            WriteAttributes(builder, Indent + Indent, attributes, s_callerAttributes);
            WriteAttributes(builder, Indent + Indent, attributes, s_flowAttributes);
            builder.Append(Indent).Append(Indent).Append(MethodModifiers(main, isInterface));
            if (HasAttribute(attributes, "System.Runtime.CompilerServices.RequiredMemberAttribute"))
            {
                builder.Append("required ");
            }

            var info = _nullability.Create(property);
            if (property.PropertyType.IsByRef)
            {
                builder.Append(HasAttribute(SafeAttributes(main.ReturnParameter.GetCustomAttributesData), "System.Runtime.CompilerServices.IsReadOnlyAttribute")
                    ? "ref readonly "
                    : "ref ");
            }

            builder.Append(FormatType(property.PropertyType, info, TopState(info, attributes), TupleNames(attributes), UsageAnnotations.For(attributes, property)))
                .Append(' ');
            var indexParameters = property.GetIndexParameters();
            if (indexParameters.Length > 0)
            {
                builder.Append("this[").Append(string.Join(", ", indexParameters.Select(p => Parameter(p, isExtensionThis: false)))).Append(']');
            }
            else
            {
                builder.Append(property.Name);
            }

            builder.Append(" {");
            if (getter is not null)
            {
                builder.Append(' ').Append(AccessorPrefix(getter, main)).Append("get;");
            }

            if (setter is not null)
            {
                var init = setter.ReturnParameter.GetRequiredCustomModifiers()
                    .Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");
                builder.Append(' ').Append(AccessorPrefix(setter, main)).Append(init ? "init;" : "set;");
            }

            builder.Append(" }\n");
            return builder.ToString();
        }

        private static string AccessorPrefix(MethodInfo accessor, MethodInfo main)
            => Access(accessor) == Access(main) ? string.Empty : Access(accessor) + " ";

        private string Event(EventInfo evt, bool isInterface)
        {
            var attributes = SafeAttributes(evt.GetCustomAttributesData);
            var builder = new StringBuilder();
            WriteAttributes(builder, Indent + Indent, attributes, s_callerAttributes);
            var info = _nullability.Create(evt);
            builder.Append(Indent).Append(Indent).Append(MethodModifiers(evt.AddMethod!, isInterface)).Append("event ")
                .Append(FormatType(evt.EventHandlerType!, info, info.ReadState, usage: UsageAnnotations.For(attributes, evt))).Append(' ').Append(evt.Name).Append(";\n");
            return builder.ToString();
        }

        private string Method(MethodInfo method, bool isInterface, bool isOperator)
        {
            var builder = new StringBuilder();
            WriteAttributes(builder, Indent + Indent, MemberAttributes(method), s_callerAttributes);
            WriteAttributes(builder, Indent + Indent, SafeAttributes(method.ReturnParameter.GetCustomAttributesData), s_flowAttributes, "return: ");
            builder.Append(Indent).Append(Indent).Append(MethodModifiers(method, isInterface));
            if (method.Name is "op_Implicit" or "op_Explicit")
            {
                builder.Append(method.Name == "op_Implicit" ? "implicit" : "explicit").Append(" operator ").Append(ReturnType(method));
            }
            else if (isOperator)
            {
                builder.Append(ReturnType(method)).Append(" operator ").Append(s_operators[method.Name]);
            }
            else
            {
                builder.Append(ReturnType(method)).Append(' ').Append(method.Name).Append(TypeParameters(method));
            }

            var isExtension = HasAttribute(method.GetCustomAttributesData(), "System.Runtime.CompilerServices.ExtensionAttribute");
            builder.Append('(').Append(Parameters(method, isExtension)).Append(')')
                .Append(method.IsGenericMethodDefinition ? Constraints(method.GetGenericArguments()) : string.Empty)
                .Append(";\n");
            return builder.ToString();
        }

        private static IList<CustomAttributeData> MemberAttributes(MemberInfo member)
        {
            var attributes = SafeAttributes(member.GetCustomAttributesData);

            // The compiler marks constructors of types with required members [Obsolete(..., true)] for old compilers,
            // next to [CompilerFeatureRequired]: that is not an obsoletion a caller sees.
            if (HasAttribute(attributes, "System.Runtime.CompilerServices.CompilerFeatureRequiredAttribute"))
            {
                return attributes.Where(a => a.AttributeType != typeof(ObsoleteAttribute)).ToList();
            }

            return attributes;
        }

        private static string MethodModifiers(MethodInfo method, bool isInterface)
        {
            var parts = new List<string>();
            if (isInterface)
            {
                if (!method.IsPublic)
                {
                    parts.Add(Access(method));
                }

                if (method.IsStatic)
                {
                    parts.Add(method.IsAbstract ? "static abstract" : method.IsVirtual ? "static virtual" : "static");
                }
                else if (!method.IsAbstract && method.IsVirtual && !method.IsFinal)
                {
                    parts.Add("virtual");
                }
            }
            else
            {
                parts.Add(Access(method));
                if (method.IsStatic)
                {
                    parts.Add("static");
                }

                var isOverride = method.IsVirtual && method.GetBaseDefinition().DeclaringType != method.DeclaringType;
                if (method.IsAbstract)
                {
                    parts.Add(isOverride ? "abstract override" : "abstract");
                }
                else if (isOverride)
                {
                    parts.Add(method.IsFinal ? "sealed override" : "override");
                }
                else if (method.IsVirtual && !method.IsFinal)
                {
                    parts.Add("virtual");
                }
            }

            return parts.Count == 0 ? string.Empty : string.Join(' ', parts) + " ";
        }

        private string ReturnType(MethodInfo method)
        {
            var returnParameter = method.ReturnParameter;
            var attributes = SafeAttributes(returnParameter.GetCustomAttributesData);
            var info = _nullability.Create(returnParameter);
            var prefix = string.Empty;
            if (method.ReturnType.IsByRef)
            {
                prefix = HasAttribute(attributes, "System.Runtime.CompilerServices.IsReadOnlyAttribute") ? "ref readonly " : "ref ";
            }

            return prefix + FormatType(method.ReturnType, info, TopState(info, attributes), TupleNames(attributes), UsageAnnotations.For(attributes, method));
        }

        private string Parameters(MethodBase method, bool isExtension = false)
            => string.Join(", ", method.GetParameters().Select((p, i) => Parameter(p, isExtension && i == 0)));

        private string Parameter(ParameterInfo parameter, bool isExtensionThis)
        {
            var attributes = SafeAttributes(parameter.GetCustomAttributesData);
            var builder = new StringBuilder();
            foreach (var attribute in FormatAttributes(attributes, s_flowAttributes))
            {
                builder.Append('[').Append(attribute).Append("] ");
            }

            if (isExtensionThis)
            {
                builder.Append("this ");
            }

            if (HasAttribute(attributes, "System.ParamArrayAttribute")
                || HasAttribute(attributes, "System.Runtime.CompilerServices.ParamCollectionAttribute"))
            {
                builder.Append("params ");
            }

            if (HasAttribute(attributes, "System.Runtime.CompilerServices.ScopedRefAttribute"))
            {
                builder.Append("scoped ");
            }

            var type = parameter.ParameterType;
            if (type.IsByRef)
            {
                if (parameter.IsOut && !parameter.IsIn)
                {
                    builder.Append("out ");
                }
                else if (HasAttribute(attributes, "System.Runtime.CompilerServices.IsReadOnlyAttribute"))
                {
                    builder.Append("in ");
                }
                else if (HasAttribute(attributes, "System.Runtime.CompilerServices.RequiresLocationAttribute"))
                {
                    builder.Append("ref readonly ");
                }
                else
                {
                    builder.Append("ref ");
                }
            }

            var info = _nullability.Create(parameter);
            builder.Append(FormatType(type, info, TopState(info, attributes), TupleNames(attributes), UsageAnnotations.For(attributes, parameter.Member)))
                .Append(' ').Append(parameter.Name);
            if (parameter.HasDefaultValue)
            {
                builder.Append(" = ").Append(Literal(DefaultValue(parameter), type.IsByRef ? type.GetElementType()! : type));
            }

            return builder.ToString();
        }

        private static object? DefaultValue(ParameterInfo parameter)
        {
            try
            {
                return parameter.DefaultValue;
            }
            catch (FormatException)
            {
                return parameter.RawDefaultValue;
            }
        }

        /// <summary>
        /// Picks the declared annotation of a member or parameter. <see cref="NullabilityInfoContext"/> folds the
        /// nullable-flow attributes into the states ([AllowNull]/[DisallowNull] into the write state, [MaybeNull]/[NotNull]
        /// into the read state), so the state an attribute did not touch is the declared one. The attributes themselves
        /// are written next to the member, as in source.
        /// </summary>
        private static NullabilityState TopState(NullabilityInfo info, IList<CustomAttributeData> attributes)
        {
            var writeChanged = HasAttribute(attributes, AllowNull) || HasAttribute(attributes, DisallowNull);
            var readChanged = HasAttribute(attributes, MaybeNull) || HasAttribute(attributes, NotNull);
            if (!writeChanged && info.WriteState != NullabilityState.Unknown)
            {
                return info.WriteState;
            }

            if (!readChanged && info.ReadState != NullabilityState.Unknown)
            {
                return info.ReadState;
            }

            return info.ReadState != NullabilityState.Unknown ? info.ReadState : info.WriteState;
        }

        private static TupleNameCursor? TupleNames(IList<CustomAttributeData> attributes)
        {
            var attribute = attributes.FirstOrDefault(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.TupleElementNamesAttribute");
            if (attribute is null || attribute.ConstructorArguments.Count != 1
                || attribute.ConstructorArguments[0].Value is not ReadOnlyCollection<CustomAttributeTypedArgument> names)
            {
                return null;
            }

            return new TupleNameCursor(names.Select(n => n.Value as string).ToList());
        }

        private static string TypeParameters(MemberInfo member)
        {
            var arguments = member is Type type ? OwnGenericArguments(type) : ((MethodInfo)member).GetGenericArguments();
            if (arguments.Length == 0)
            {
                return string.Empty;
            }

            return "<" + string.Join(", ", arguments.Select(a =>
            {
                var variance = a.GenericParameterAttributes & GenericParameterAttributes.VarianceMask;
                var prefix = variance == GenericParameterAttributes.Covariant ? "out "
                    : variance == GenericParameterAttributes.Contravariant ? "in " : string.Empty;
                return prefix + a.Name;
            })) + ">";
        }

        private static Type[] OwnGenericArguments(Type type)
        {
            if (!type.IsGenericTypeDefinition)
            {
                return [];
            }

            var all = type.GetGenericArguments();
            var inherited = type.DeclaringType is { IsGenericTypeDefinition: true } outer ? outer.GetGenericArguments().Length : 0;
            return all[inherited..];
        }

        private static string Constraints(Type[] parameters)
        {
            var builder = new StringBuilder();
            foreach (var parameter in parameters)
            {
                var constraints = new List<string>();
                var attributes = parameter.GenericParameterAttributes;
                var typeConstraints = parameter.GetGenericParameterConstraints().Where(c => c != typeof(ValueType)).ToList();
                if ((attributes & GenericParameterAttributes.ReferenceTypeConstraint) != 0)
                {
                    constraints.Add(NullableFlag(parameter) == 2 ? "class?" : "class");
                }
                else if ((attributes & GenericParameterAttributes.NotNullableValueTypeConstraint) != 0)
                {
                    constraints.Add(HasAttribute(parameter.GetCustomAttributesData(), "System.Runtime.CompilerServices.IsUnmanagedAttribute")
                        ? "unmanaged"
                        : "struct");
                }
                else if (typeConstraints.Count == 0 && NullableFlag(parameter) == 1)
                {
                    constraints.Add("notnull");
                }

                constraints.AddRange(typeConstraints.Select(c => FormatType(c, null)).Order(StringComparer.Ordinal));
                if ((attributes & GenericParameterAttributes.DefaultConstructorConstraint) != 0
                    && (attributes & GenericParameterAttributes.NotNullableValueTypeConstraint) == 0)
                {
                    constraints.Add("new()");
                }

                if ((attributes & GenericParameterAttributes.AllowByRefLike) != 0)
                {
                    constraints.Add("allows ref struct");
                }

                if (constraints.Count > 0)
                {
                    builder.Append(" where ").Append(parameter.Name).Append(" : ").Append(string.Join(", ", constraints));
                }
            }

            return builder.ToString();
        }

        /// <summary>Reads the nullable annotation of a type parameter: 0 oblivious, 1 not null, 2 nullable.</summary>
        private static byte NullableFlag(Type parameter)
        {
            var own = parameter.GetCustomAttributesData()
                .FirstOrDefault(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.NullableAttribute");
            if (own is not null)
            {
                return own.ConstructorArguments[0].Value switch
                {
                    byte b => b,
                    ReadOnlyCollection<CustomAttributeTypedArgument> bytes when bytes.Count > 0 => (byte)bytes[0].Value!,
                    _ => 0,
                };
            }

            return UsageAnnotations.ContextOf(parameter.DeclaringMethod ?? (MemberInfo?)parameter.DeclaringType);
        }

        private static void WriteAttributes(
            StringBuilder builder, string indent, IList<CustomAttributeData> attributes, HashSet<string> which, string target = "")
        {
            foreach (var attribute in FormatAttributes(attributes, which))
            {
                builder.Append(indent).Append('[').Append(target).Append(attribute).Append("]\n");
            }
        }

        private static IEnumerable<string> FormatAttributes(IList<CustomAttributeData> attributes, HashSet<string> which)
            => attributes
                .Where(a => a.AttributeType.FullName is { } name && which.Contains(name))
                .Select(FormatAttribute)
                .Order(StringComparer.Ordinal);

        private static string FormatAttribute(CustomAttributeData attribute)
        {
            var name = FormatType(attribute.AttributeType, null);
            if (name.EndsWith("Attribute", StringComparison.Ordinal))
            {
                name = name[..^"Attribute".Length];
            }

            var arguments = attribute.ConstructorArguments.Select(FormatArgument)
                .Concat(attribute.NamedArguments.OrderBy(n => n.MemberName, StringComparer.Ordinal)
                    .Select(n => n.MemberName + " = " + FormatArgument(n.TypedValue)))
                .ToList();
            return arguments.Count == 0 ? name : name + "(" + string.Join(", ", arguments) + ")";
        }

        private static string FormatArgument(CustomAttributeTypedArgument argument)
        {
            if (argument.Value is ReadOnlyCollection<CustomAttributeTypedArgument> items)
            {
                return "new[] { " + string.Join(", ", items.Select(FormatArgument)) + " }";
            }

            if (argument.Value is Type type)
            {
                return "typeof(" + FormatType(type, null) + ")";
            }

            return Literal(argument.Value, argument.ArgumentType);
        }

        private static string DeclaredName(Type type, bool withDeclaringTypes = true)
        {
            var name = StripArity(type.Name);
            if (withDeclaringTypes && type.DeclaringType is { } outer)
            {
                var outerName = DeclaredName(outer) + TypeParameters(outer);
                return outerName + "." + name;
            }

            return name;
        }

        private static string StripArity(string name)
        {
            var tick = name.IndexOf('`', StringComparison.Ordinal);
            return tick < 0 ? name : name[..tick];
        }

        /// <summary>Formats a type as C# would write it, with <c>?</c> where the annotations say nullable.</summary>
        /// <param name="type">The type; a by-ref type is written as its element type (the caller writes ref/out/in).</param>
        /// <param name="info">Nullability of this position, or <see langword="null"/> for none (oblivious).</param>
        /// <param name="topState">The state of the outermost type, when the caller chose it from the info.</param>
        /// <param name="names">Tuple element names, consumed depth-first as tuples are met.</param>
        /// <param name="usage">
        /// The position's own annotations, read in the order <see cref="NullabilityInfoContext"/> reads them. Used for type
        /// parameters only: the context reports a plain <c>T</c> as nullable when <c>T</c> may be a nullable type
        /// (unconstrained or <c>class?</c>), which would hide the difference between <c>T</c> and <c>T?</c>.
        /// </param>
        private static string FormatType(
            Type type, NullabilityInfo? info, NullabilityState? topState = null, TupleNameCursor? names = null, UsageAnnotations? usage = null)
        {
            if (type.IsByRef)
            {
                return FormatType(type.GetElementType()!, info, topState, names, usage);
            }

            if (type.IsPointer)
            {
                return FormatType(type.GetElementType()!, info, NullabilityState.NotNull, names, usage) + "*";
            }

            if (type.IsValueType)
            {
                // NullabilityInfo of T? describes T (its generic arguments), with the Nullable state.
                var nullableOf = Nullable.GetUnderlyingType(type);
                var core = nullableOf ?? type;
                if (core.IsGenericType)
                {
                    usage?.Skip();
                }

                return FormatCore(core, info, names, usage, string.Empty) + (nullableOf is null ? string.Empty : "?");
            }

            var state = topState ?? info?.ReadState ?? NullabilityState.Unknown;
            var own = usage?.Take();
            if (type.IsGenericParameter && own is not null)
            {
                state = own == 2 ? NullabilityState.Nullable : NullabilityState.NotNull;
            }

            var suffix = state == NullabilityState.Nullable ? "?" : string.Empty;
            if (type.IsArray)
            {
                var rank = type.GetArrayRank();
                var element = FormatType(type.GetElementType()!, info?.ElementType, names: names, usage: usage);
                return element + (rank == 1 ? "[]" : "[" + new string(',', rank - 1) + "]") + suffix;
            }

            return FormatCore(type, info, names, usage, suffix);
        }

        private static string FormatCore(Type type, NullabilityInfo? info, TupleNameCursor? names, UsageAnnotations? usage, string suffix)
        {
            if (type.IsGenericParameter)
            {
                return type.Name + suffix;
            }

            if (s_keywords.TryGetValue(type, out var keyword))
            {
                return keyword + suffix;
            }

            if (!type.IsGenericType)
            {
                return QualifiedName(type, []) + suffix;
            }

            var arguments = type.GetGenericArguments();
            var argumentInfos = info?.GenericTypeArguments;
            if (IsTuple(type))
            {
                var elementNames = names?.Take(arguments.Length);
                var elements = new List<string>(arguments.Length);
                for (var i = 0; i < arguments.Length; i++)
                {
                    var text = FormatType(arguments[i], ArgumentInfo(argumentInfos, i), names: names, usage: usage);
                    elements.Add(elementNames?[i] is { } elementName ? text + " " + elementName : text);
                }

                return "(" + string.Join(", ", elements) + ")" + suffix;
            }

            var formatted = new List<string>(arguments.Length);
            for (var i = 0; i < arguments.Length; i++)
            {
                formatted.Add(FormatType(arguments[i], ArgumentInfo(argumentInfos, i), names: names, usage: usage));
            }

            return QualifiedName(type, formatted) + suffix;
        }

        private static NullabilityInfo? ArgumentInfo(NullabilityInfo[]? infos, int index)
            => infos is not null && index < infos.Length ? infos[index] : null;

        private static bool IsTuple(Type type)
            => type.IsGenericType && !type.IsGenericTypeDefinition && type.Namespace == "System"
                && type.Name.StartsWith("ValueTuple`", StringComparison.Ordinal) && type.GetGenericArguments().Length is > 1 and < 8;

        private static string QualifiedName(Type type, IReadOnlyList<string> arguments)
        {
            var chain = new List<Type>();
            for (var t = type; t is not null; t = t.DeclaringType)
            {
                chain.Insert(0, t);
            }

            var parts = new List<string>();
            var used = 0;
            foreach (var t in chain)
            {
                var count = t.IsGenericType ? t.GetGenericArguments().Length : 0;
                var name = StripArity(t.Name);
                if (count > used)
                {
                    name += "<" + string.Join(", ", Enumerable.Range(used, count - used).Select(i => i < arguments.Count ? arguments[i] : string.Empty)) + ">";
                    used = count;
                }

                parts.Add(name);
            }

            var ns = chain[0].Namespace;
            return (string.IsNullOrEmpty(ns) ? string.Empty : ns + ".") + string.Join(".", parts);
        }

        private static string Literal(object? value, Type type)
        {
            var underlying = Nullable.GetUnderlyingType(type) ?? type;
            if (value is null)
            {
                return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? "default" : "null";
            }

            if (underlying.IsEnum)
            {
                return EnumLiteral(underlying, value);
            }

            return value switch
            {
                string s => Quote(s, '"'),
                char c => Quote(c.ToString(), '\''),
                bool b => b ? "true" : "false",
                float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
                double d => d.ToString("R", CultureInfo.InvariantCulture) + "d",
                decimal m => m.ToString(CultureInfo.InvariantCulture) + "m",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? string.Empty,
            };
        }

        private static string EnumLiteral(Type enumType, object value)
        {
            var raw = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
            var match = enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => Convert.ToDecimal(f.GetRawConstantValue(), CultureInfo.InvariantCulture) == raw)
                .Select(f => f.Name)
                .Order(StringComparer.Ordinal)
                .FirstOrDefault();
            var typeName = FormatType(enumType, null);
            return match is not null
                ? typeName + "." + match
                : "(" + typeName + ")" + raw.ToString(CultureInfo.InvariantCulture);
        }

        private static string Quote(string text, char quote)
        {
            var builder = new StringBuilder().Append(quote);
            foreach (var c in text)
            {
                switch (c)
                {
                    case '\\': builder.Append(@"\\"); break;
                    case '\n': builder.Append(@"\n"); break;
                    case '\r': builder.Append(@"\r"); break;
                    case '\t': builder.Append(@"\t"); break;
                    case '\0': builder.Append(@"\0"); break;
                    default:
                        if (c == quote)
                        {
                            builder.Append('\\').Append(c);
                        }
                        else if (char.IsControl(c) || char.IsSurrogate(c))
                        {
                            builder.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            return builder.Append(quote).ToString();
        }
    }

    /// <summary>Hands out tuple element names in the depth-first order the compiler stores them.</summary>
    private sealed class TupleNameCursor(List<string?> names)
    {
        private int _next;

        public IReadOnlyList<string?> Take(int count)
        {
            var taken = new List<string?>(count);
            for (var i = 0; i < count; i++)
            {
                taken.Add(_next < names.Count ? names[_next] : null);
                _next++;
            }

            return taken;
        }
    }

    /// <summary>
    /// Reads the bytes of a position's <c>NullableAttribute</c> one type at a time (0 oblivious, 1 not null, 2 nullable),
    /// falling back to the nearest <c>NullableContextAttribute</c>.
    /// </summary>
    private sealed class UsageAnnotations
    {
        private readonly object? _argument;
        private readonly byte _context;
        private int _index;

        private UsageAnnotations(object? argument, byte context)
        {
            _argument = argument;
            _context = context;
        }

        public static UsageAnnotations For(IList<CustomAttributeData> ownAttributes, MemberInfo scope)
        {
            var attribute = ownAttributes.FirstOrDefault(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.NullableAttribute");
            return new UsageAnnotations(attribute?.ConstructorArguments.FirstOrDefault().Value, ContextOf(scope));
        }

        public static byte ContextOf(MemberInfo? scope)
        {
            for (; scope is not null; scope = scope.DeclaringType)
            {
                var context = SafeAttributes(scope.GetCustomAttributesData)
                    .FirstOrDefault(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.NullableContextAttribute");
                if (context?.ConstructorArguments[0].Value is byte value)
                {
                    return value;
                }
            }

            return 0;
        }

        public byte Take()
        {
            var index = _index++;
            return _argument switch
            {
                byte b => b,
                ReadOnlyCollection<CustomAttributeTypedArgument> bytes when index < bytes.Count && bytes[index].Value is byte b => b,
                _ => _context,
            };
        }

        public void Skip() => _index++;
    }
}
