using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace PortCustoms.Infra.Tests.Support;

/// <summary>One run of the Bicep CLI: exit code and everything it printed.</summary>
internal sealed record BicepRun(string Arguments, int ExitCode, string StdOut, string StdErr)
{
    // Bicep prints diagnostics as "path(line,col) : Warning rule-or-code: message" (or Error / Info).
    private static readonly Regex Diagnostic = new(@"\)\s*:\s*(Warning|Error)\s", RegexOptions.Compiled);

    public string Output => StdOut + StdErr;

    /// <summary>Warnings and errors printed by this run; empty when the run is clean.</summary>
    public IReadOnlyList<string> Diagnostics =>
        Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => Diagnostic.IsMatch(line) || line.StartsWith("Error", StringComparison.Ordinal))
            .ToList();

    public override string ToString() => $"bicep {Arguments} -> exit {ExitCode}\n{Output}";
}

/// <summary>The Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 (PackageDownload in the csproj).</summary>
internal static class BicepCli
{
    public const string Version = "0.49.2";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string Executable { get; } = Locate();

    public static BicepRun Run(string workingDirectory, params string[] arguments) => Run(workingDirectory, null, arguments);

    /// <summary>A run with extra environment variables (what a <c>.bicepparam</c> file's readEnvironmentVariable sees).</summary>
    public static BicepRun Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["BICEP_TELEMETRY_DISABLED"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        process.WaitForExit();
        return new BicepRun(string.Join(' ', arguments), process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Locate()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrWhiteSpace(packages))
        {
            packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        var path = Path.Combine(packages, "azure.bicep.commandline.linux-x64", Version, "tools", "bicep");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Bicep CLI not found at {path}. Restore tests/PortCustoms.Infra.Tests (PackageDownload Azure.Bicep.CommandLine.linux-x64 {Version}).",
                path);
        }

        // The package is the linux-x64 build; make sure the current user may execute it (the execute bit is owner-only).
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
            }
        }

        return path;
    }
}
