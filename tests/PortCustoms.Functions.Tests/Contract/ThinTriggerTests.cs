using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Contract;

/// <summary>
/// A trigger binds, calls its flow's intake service and maps the typed result (issue 11): its method stays short. A
/// source scan, no Roslyn: from a method's <c>[Function(</c> line to the closing brace at the method's own indentation
/// (or, for an expression body, to the line ending in <c>;</c>). The scan must find every function the assembly has.
/// Orchestrators are not edges but the workflow itself (Durable Functions keeps it in the function), so they are not held
/// to this; their activities are.
/// </summary>
public sealed partial class ThinTriggerTests
{
    /// <summary>Attributes, signature and body together.</summary>
    private const int MaxLines = 40;

    [Fact]
    public void Every_function_method_is_under_40_lines()
    {
        var measured = MeasureFunctionMethods();

        var declared = typeof(PortCustomsApp).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Count(m => m.GetCustomAttribute<FunctionAttribute>() is not null && !m.GetParameters().Any(p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null));
        Assert.True(declared > 0);
        Assert.Equal(declared, measured.Count);
        Assert.All(measured, m => Assert.True(m.Lines < MaxLines, $"{m.Where} is {m.Lines} lines: move parsing and rules into the flow's intake service."));
    }

    private static List<(string Where, int Lines)> MeasureFunctionMethods()
    {
        var measured = new List<(string, int)>();
        var root = RepositoryPaths.Combine("functions", "PortCustoms.Functions");
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var attribute = FunctionAttributeLine().Match(lines[i]);
                if (!attribute.Success)
                {
                    continue;
                }
                var indent = attribute.Groups["indent"].Value;
                var end = EndOfMethod(lines, i, indent) ?? throw new InvalidOperationException($"{file}:{i + 1}: no end of the function method found.");
                if (!lines.Skip(i).Take(end - i + 1).TakeWhile(l => l != indent + "{").Any(l => l.Contains("[OrchestrationTrigger]", StringComparison.Ordinal)))
                {
                    measured.Add(($"{Path.GetFileName(file)}:{i + 1}", end - i + 1));
                }
            }
        }
        return measured;
    }

    private static int? EndOfMethod(string[] lines, int start, string indent)
    {
        for (var j = start + 1; j < lines.Length; j++)
        {
            if (lines[j] == indent + "}")
            {
                return j;
            }
            // An expression-bodied method ends at its first statement end below the signature, with no block opened.
            if (lines[j].TrimEnd().EndsWith(';') && !lines.Skip(start).Take(j - start + 1).Any(l => l == indent + "{"))
            {
                return j;
            }
        }
        return null;
    }

    [GeneratedRegex(@"^(?<indent>\s*)\[Function\(")]
    private static partial Regex FunctionAttributeLine();
}
