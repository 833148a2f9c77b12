using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace PortCustoms.LocalHost;

/// <summary>How LocalHost starts: port, the assemblies whose functions it hosts, extra settings and services.</summary>
public sealed class LocalFunctionsHostOptions
{
    /// <summary>Command-line arguments (configuration overrides such as <c>--LocalHost:Port=7072</c>).</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>The HTTP port; 0 picks a free one (tests). Defaults to configuration <c>LocalHost:Port</c>, else 7071.</summary>
    public int? Port { get; init; }

    /// <summary>Assemblies scanned for <c>[Function]</c> methods; the Functions app always, plus any given here (tests).</summary>
    public IList<Assembly> FunctionAssemblies { get; } = [];

    /// <summary>Single function classes to host besides the assemblies' (tests host small test-only classes).</summary>
    public IList<Type> FunctionTypes { get; } = [];

    /// <summary>Settings layered over every other configuration source (tests use this for connection strings).</summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    /// <summary>Services registered after the app's own (tests replace a dependency here).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>The repository root, for Azurite; found from the running binary when not given.</summary>
    public string? RepositoryRoot { get; init; }
}
