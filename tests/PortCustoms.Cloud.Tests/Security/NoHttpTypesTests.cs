using System.Reflection;
using PortCustoms.Cloud.Security;

namespace PortCustoms.Cloud.Tests.Security;

/// <summary>Cloud adapts Azure SDKs; reading an HTTP request is the Functions app's job (issue 11: one HTTP layer).</summary>
public sealed class NoHttpTypesTests
{
    [Fact]
    public void CloudMembers_TakeOrReturnNoAspNetCoreHttpType()
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var types = typeof(CallerCertificateValidator).Assembly.GetTypes();
        var offending = types
            .SelectMany(t => t.GetMethods(All).Cast<MethodBase>().Concat(t.GetConstructors(All))
                .SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m is MethodInfo info ? info.ReturnType : typeof(void)))
                .Concat(t.GetFields(All).Select(f => f.FieldType))
                .Concat(t.GetProperties(All).Select(p => p.PropertyType))
                .Where(IsAspNetCoreHttp)
                .Select(bad => $"{t.FullName}: {bad.FullName}"))
            .Distinct()
            .ToList();

        Assert.NotEmpty(types);
        Assert.Empty(offending);
    }

    private static bool IsAspNetCoreHttp(Type type) =>
        type.Namespace?.StartsWith("Microsoft.AspNetCore.Http", StringComparison.Ordinal) == true
        || (type.IsGenericType && type.GetGenericArguments().Any(IsAspNetCoreHttp))
        || (type.HasElementType && IsAspNetCoreHttp(type.GetElementType()!));
}
