namespace PortCustoms.Infra.Tests.Support;

/// <summary>
/// A fact that needs <c>/bin/bash</c> (the deploy script's interpreter): without it the test is skipped with that reason,
/// visibly, instead of returning early and passing having checked nothing.
/// </summary>
public sealed class BashFactAttribute : FactAttribute
{
    public const string Path = "/bin/bash";

    public BashFactAttribute()
    {
        if (!File.Exists(Path))
        {
            Skip = $"Needs {Path} to check the deploy script's syntax; this machine has none (CI runs it on Ubuntu).";
        }
    }
}
