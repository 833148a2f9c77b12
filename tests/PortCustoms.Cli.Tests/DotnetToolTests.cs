using System.Diagnostics;

namespace PortCustoms.Cli.Tests;

/// <summary>
/// The CLI as operators install it: packed as a .NET tool, installed from a local folder with `dotnet tool install`,
/// started by its command name, and naming itself `portcustoms` in usage.
/// </summary>
public sealed class DotnetToolTests
{
    [Fact]
    public void Installs_as_the_portcustoms_tool_and_shows_its_name_in_usage()
    {
        var work = Directory.CreateTempSubdirectory("portcustoms-tool-").FullName;
        try
        {
            var project = PortCustoms.TestSupport.RepositoryPaths.Combine("functions", "PortCustoms.Cli", "PortCustoms.Cli.csproj");
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            // The test run has built the CLI already (it is referenced): pack what was built.
            Run("dotnet", work, "pack", project, "--no-build", "-c", configuration, "-o", Path.Combine(work, "packages"));
            Run("dotnet", work, "tool", "install", "PortCustoms.Cli", "--tool-path", Path.Combine(work, "tools"), "--add-source", Path.Combine(work, "packages"));

            var help = Run(Path.Combine(work, "tools", "portcustoms"), work, "--help");
            Assert.Contains("portcustoms [command] [options]", help, StringComparison.Ordinal);
            Assert.Contains("validate", help, StringComparison.Ordinal);

            var validateHelp = Run(Path.Combine(work, "tools", "portcustoms"), work, "validate", "--help");
            Assert.Contains("portcustoms validate", validateHelp, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Run(string file, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"{file} {string.Join(' ', arguments)} did not finish");
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {output} {error.Result}");
        return output;
    }
}
