namespace PortCustoms.Infra.Tests.Support;

/// <summary>Paths inside the repository, found by walking up from the test binaries to the solution file.</summary>
internal static class RepoPaths
{
    private const string SolutionFile = "PortCustoms.Functions.sln";

    public static string Root { get; } = FindRoot();

    public static string Bicep => Path.Combine(Root, "infra", "bicep");

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No {SolutionFile} above {AppContext.BaseDirectory}.");
    }
}
