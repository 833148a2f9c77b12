namespace PortCustoms.Edifact.Tests.Structure;

/// <summary>
/// Finds the shared UN/EDIFACT reference directories: PORTCUSTOMS_SHARED_DIR first, else
/// <c>shared/edifact-directories</c> beside the repository root or any folder above it
/// (a git worktree sits one level deeper than the main checkout).
/// </summary>
internal static class ReferenceDirectories
{
    public const string SharedDirVariable = "PORTCUSTOMS_SHARED_DIR";

    private static readonly Lazy<string?> Located = new(Locate);

    /// <summary>The edifact-directories folder, or null when it is not on this machine.</summary>
    public static string? Path => Located.Value;

    public static string SkipReason =>
        $"Reference directories not found: set {SharedDirVariable} or place shared/edifact-directories beside the repository.";

    /// <summary>The repository root (the folder holding the solution file).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string? Locate()
    {
        string? variable = Environment.GetEnvironmentVariable(SharedDirVariable);
        if (!string.IsNullOrEmpty(variable))
        {
            foreach (string candidate in new[] { System.IO.Path.Combine(variable, "edifact-directories"), variable })
            {
                if (Directory.Exists(System.IO.Path.Combine(candidate, "D95B")))
                {
                    return candidate;
                }
            }
        }

        for (DirectoryInfo? folder = new DirectoryInfo(RepositoryRoot).Parent; folder is not null; folder = folder.Parent)
        {
            string candidate = System.IO.Path.Combine(folder.FullName, "shared", "edifact-directories");
            if (Directory.Exists(System.IO.Path.Combine(candidate, "D95B")))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "PortCustoms.Functions.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (PortCustoms.Functions.sln) not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that runs only when the reference directories are on this machine.</summary>
public sealed class ReferenceFactAttribute : FactAttribute
{
    public ReferenceFactAttribute()
    {
        if (ReferenceDirectories.Path is null)
        {
            Skip = ReferenceDirectories.SkipReason;
        }
    }
}

/// <summary>A theory that runs only when the reference directories are on this machine.</summary>
public sealed class ReferenceTheoryAttribute : TheoryAttribute
{
    public ReferenceTheoryAttribute()
    {
        if (ReferenceDirectories.Path is null)
        {
            Skip = ReferenceDirectories.SkipReason;
        }
    }
}

/// <summary>A fact that runs only on demand, with PORTCUSTOMS_REGENERATE_TABLES=1, and with the reference present.</summary>
public sealed class RegenerationFactAttribute : FactAttribute
{
    public const string Variable = "PORTCUSTOMS_REGENERATE_TABLES";

    public RegenerationFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"Regenerates the carried tables only when {Variable}=1.";
        }
        else if (ReferenceDirectories.Path is null)
        {
            Skip = ReferenceDirectories.SkipReason;
        }
    }
}
