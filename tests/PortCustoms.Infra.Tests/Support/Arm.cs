using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PortCustoms.Infra.Tests.Support;

/// <summary>One ARM template: the root template or a module's nested template, with the deployment that binds it.</summary>
internal sealed class TemplateScope
{
    public TemplateScope(JsonObject template, TemplateScope? parent, JsonObject? deployment, string path, JsonObject? rootParameterValues)
    {
        Template = template;
        Parent = parent;
        Deployment = deployment;
        Path = path;
        RootParameterValues = rootParameterValues;
    }

    public JsonObject Template { get; }

    public TemplateScope? Parent { get; }

    /// <summary>The Microsoft.Resources/deployments resource (module) whose properties.template this is; null at the root.</summary>
    public JsonObject? Deployment { get; }

    /// <summary>Module path from the root, e.g. "functionApp"; empty at the root.</summary>
    public string Path { get; }

    /// <summary>Parameter values from a parameters file (root only), or null to use defaults.</summary>
    public JsonObject? RootParameterValues { get; }

    public JsonObject Parameters => Template["parameters"]?.AsObject() ?? [];

    public JsonObject Variables => Template["variables"]?.AsObject() ?? [];

    /// <summary>Resources as (symbolic name, resource); languageVersion 2.0 keeps them in an object, 1.0 in an array.</summary>
    public IEnumerable<(string Symbol, JsonObject Resource)> Resources
    {
        get
        {
            switch (Template["resources"])
            {
                case JsonObject byName:
                    foreach (var (symbol, node) in byName)
                    {
                        yield return (symbol, node!.AsObject());
                    }

                    break;
                case JsonArray list:
                    var i = 0;
                    foreach (var node in list)
                    {
                        yield return ($"[{i++}]", node!.AsObject());
                    }

                    break;
            }
        }
    }

    /// <summary>The value bound to one of this template's parameters by its parent module (or the parameters file / default at the root).</summary>
    public JsonNode? ParameterBinding(string name)
    {
        if (Deployment is not null)
        {
            return Deployment["properties"]?["parameters"]?[name]?["value"];
        }

        return RootParameterValues?[name]?["value"] ?? Parameters[name]?["defaultValue"];
    }
}

/// <summary>A resource declared in some template of the compiled deployment.</summary>
internal sealed record ArmResource(TemplateScope Scope, string Symbol, JsonObject Node)
{
    public string Type => Node["type"]!.GetValue<string>();

    public bool IsExisting => Node["existing"]?.GetValue<bool>() == true;

    public JsonObject Properties => Node["properties"]?.AsObject() ?? [];

    public override string ToString() => $"{Scope.Path}/{Symbol} ({Type})";
}

internal static partial class Arm
{
    public const string DeploymentType = "Microsoft.Resources/deployments";

    [GeneratedRegex(@"^\[parameters\('(?<name>[^']+)'\)\]$")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"^\[variables\('(?<name>[^']+)'\)\]$")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^\[variables\('(?<name>[^']+)'\)\.(?<member>\w+)\]$")]
    private static partial Regex VariableMemberReference();

    public static TemplateScope Root(JsonObject template, JsonObject? parameterValues = null) =>
        new(template, null, null, string.Empty, parameterValues);

    /// <summary>The root and every nested module template, depth first.</summary>
    public static IEnumerable<TemplateScope> AllScopes(TemplateScope root)
    {
        yield return root;
        foreach (var (symbol, resource) in root.Resources)
        {
            if (resource["type"]?.GetValue<string>() == DeploymentType && resource["properties"]?["template"] is JsonObject nested)
            {
                var path = root.Path.Length == 0 ? symbol : $"{root.Path}/{symbol}";
                foreach (var scope in AllScopes(new TemplateScope(nested, root, resource, path, null)))
                {
                    yield return scope;
                }
            }
        }
    }

    /// <summary>Every declared resource except module deployments themselves.</summary>
    public static IEnumerable<ArmResource> AllResources(TemplateScope root) =>
        AllScopes(root)
            .SelectMany(scope => scope.Resources.Select(r => new ArmResource(scope, r.Symbol, r.Resource)))
            .Where(r => r.Type != DeploymentType);

    public static IEnumerable<ArmResource> OfType(TemplateScope root, string type) =>
        AllResources(root).Where(r => !r.IsExisting && string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    public static TemplateScope Module(TemplateScope root, string path) =>
        AllScopes(root).SingleOrDefault(s => s.Path == path) ?? throw new InvalidOperationException($"No module '{path}'.");

    /// <summary>
    /// Follows plain parameter and variable references (parameters('x'), variables('x'), variables('x').y) up through the
    /// module bindings to a literal. Returns the last expression reached when it is anything more complex.
    /// </summary>
    public static JsonNode? Resolve(TemplateScope scope, JsonNode? value)
    {
        for (var guard = 0; guard < 50; guard++)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out var text) || !text.StartsWith('[') || text.StartsWith("[[", StringComparison.Ordinal))
            {
                return value;
            }

            var parameter = ParameterReference().Match(text);
            if (parameter.Success)
            {
                var bound = scope.ParameterBinding(parameter.Groups["name"].Value);
                if (bound is null)
                {
                    return value;
                }

                if (scope.Parent is not null)
                {
                    value = bound;
                    scope = scope.Parent;
                    continue;
                }

                value = bound;
                continue;
            }

            var variable = VariableReference().Match(text);
            if (variable.Success)
            {
                value = scope.Variables[variable.Groups["name"].Value];
                continue;
            }

            var member = VariableMemberReference().Match(text);
            if (member.Success)
            {
                value = scope.Variables[member.Groups["name"].Value]?[member.Groups["member"].Value];
                continue;
            }

            return value;
        }

        throw new InvalidOperationException("Reference cycle while resolving a template expression.");
    }

    public static string? ResolveString(TemplateScope scope, JsonNode? value) =>
        Resolve(scope, value) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>True when the value is, through every module binding, the root template's parameter <paramref name="rootParameter"/>.</summary>
    public static bool IsRootParameter(TemplateScope scope, JsonNode? value, string rootParameter)
    {
        var expected = $"[parameters('{rootParameter}')]";
        while (true)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out var text))
            {
                return false;
            }

            var match = ParameterReference().Match(text);
            if (!match.Success)
            {
                return false;
            }

            if (scope.Parent is null)
            {
                return text == expected;
            }

            value = scope.ParameterBinding(match.Groups["name"].Value);
            scope = scope.Parent;
        }
    }

    /// <summary>Every string anywhere in the node (property names included), for text-level guards.</summary>
    public static IEnumerable<string> AllStrings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    yield return key;
                    foreach (var s in AllStrings(child))
                    {
                        yield return s;
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    foreach (var s in AllStrings(child))
                    {
                        yield return s;
                    }
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                yield return text;
                break;
        }
    }
}
