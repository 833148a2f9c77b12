namespace PortCustoms.TestSupport;

/// <summary>Finds the repository from wherever the test host runs (bin/Debug/net10.0 of a test project).</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PortCustoms.Functions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"PortCustoms.Functions.sln not found above {AppContext.BaseDirectory}.");
    }
}
