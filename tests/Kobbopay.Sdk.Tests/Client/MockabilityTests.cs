using System.Reflection;

namespace Kobbopay.Sdk.Tests.Client;

/// <summary>
/// The client can be mocked the way Azure.Core's clients are: every public <c>...Async</c> method of
/// <see cref="KobbopayClient"/> is virtual, a protected parameterless constructor exists, and
/// <see cref="KobbopayModelFactory"/> builds every model the client hands back, so a test double can return it.
/// </summary>
public sealed class MockabilityTests
{
    [Fact]
    public void Every_public_async_method_of_the_client_is_virtual_and_a_protected_constructor_exists()
    {
        Type client = typeof(KobbopayClient);
        MethodInfo[] asyncMethods = [.. client.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.DeclaringType == client && m.Name.EndsWith("Async", StringComparison.Ordinal))];

        client.IsSealed.ShouldBeFalse();
        asyncMethods.Length.ShouldBeGreaterThanOrEqualTo(7, "the client's calls were not found by name");
        asyncMethods.Where(m => !m.IsVirtual || m.IsFinal).Select(Describe).ShouldBeEmpty("these cannot be overridden by a mock");
        ConstructorInfo? constructor = client.GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes);
        constructor.ShouldNotBeNull("a mock needs a parameterless constructor").IsFamily.ShouldBeTrue("the parameterless constructor should be protected");
    }

    [Fact]
    public void The_model_factory_builds_every_model_the_client_returns()
    {
        HashSet<Type> models = ModelsReturnedBy(typeof(KobbopayClient));
        HashSet<Type> built = [.. typeof(KobbopayModelFactory).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => Definition(m.ReturnType))];

        models.ShouldContain(typeof(Payment));
        models.ShouldContain(typeof(PaymentEvent));
        models.ShouldContain(typeof(Page<>));
        models.Where(m => !built.Contains(m)).Select(m => m.Name).Order().ShouldBeEmpty("KobbopayModelFactory has no method returning these");
    }

    /// <summary>The model classes a client call returns, and the model classes their properties hold, transitively.</summary>
    private static HashSet<Type> ModelsReturnedBy(Type client)
    {
        HashSet<Type> models = [];
        Queue<Type> pending = new(client.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.DeclaringType == client).Select(m => m.ReturnType));
        while (pending.TryDequeue(out Type? type))
        {
            foreach (Type argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                pending.Enqueue(argument);
            }

            Type definition = Definition(type);
            if (!definition.IsGenericParameter && definition.IsClass && definition.Namespace == typeof(KobbopayClient).Namespace && definition != client && models.Add(definition))
            {
                foreach (PropertyInfo property in definition.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    pending.Enqueue(property.PropertyType);
                }
            }
        }

        return models;
    }

    private static Type Definition(Type type) => type.IsGenericType ? type.GetGenericTypeDefinition() : type;

    private static string Describe(MethodInfo method) =>
        $"{method.ReturnType.Name} {method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})";
}
