using System.CommandLine;
using PortCustoms.Core.CodeLists;

namespace PortCustoms.Cli.Files;

/// <summary>
/// <c>--code-lists PATH</c> on <c>validate</c>, <c>translate</c>, <c>reconcile</c> and <c>audit</c>: the deployment's
/// override files (<c>CodeLists:Overrides</c>, docs/code-lists.md), so a port checks files with its own lists. A path
/// is a file, or a folder whose <c>*.json</c> files are applied in name order (ordinal), as a deployment's folder of
/// overrides; repeatable, applied in order. Checked as the app checks them at start: any fault is a
/// <see cref="CodeListException"/> naming the file (exit 2).
/// </summary>
internal static class CodeListArguments
{
    public static Option<string[]> Create() => new("--code-lists")
    {
        Description = "The deployment's code list overrides (as CodeLists:Overrides): a file, or a folder of *.json files applied in name order; repeatable, applied in order.",
    };

    /// <summary>The override files the paths name, in order; throws <see cref="CodeListException"/> for a missing path or an empty folder.</summary>
    public static List<string> Files(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var inFolder = Directory.GetFiles(path, "*.json", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList();
                if (inFolder.Count == 0)
                {
                    throw new CodeListException($"Code list folder '{path}' holds no override file (*.json).");
                }
                files.AddRange(inFolder);
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                throw new CodeListException($"Code list override '{path}' does not exist.");
            }
        }
        return files;
    }

    /// <summary>The shipped lists with the overrides applied (unmapped codes held, as the app's default); throws <see cref="CodeListException"/>.</summary>
    public static CodeListService Load(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            return CodeListService.Shipped;
        }
        var options = new CodeListOptions();
        options.Overrides.AddRange(Files(paths));
        return new CodeListService(options.Load());
    }

    /// <summary>As <see cref="Load"/>; null with the problem on standard error (the caller exits 2).</summary>
    public static async Task<CodeListService?> TryLoadAsync(IReadOnlyList<string> paths, TextWriter stderr)
    {
        try
        {
            return Load(paths);
        }
        catch (CodeListException ex)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return null;
        }
    }
}
