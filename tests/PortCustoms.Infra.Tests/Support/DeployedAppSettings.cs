using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PortCustoms.Infra.Tests.Support;

/// <summary>
/// The app settings that one environment's deployment writes into the function app, as names and values. Literals and
/// parameters come from the compiled template and parameters file; what only Azure knows at deployment time (a
/// resource's endpoint, an identity's client id) becomes a placeholder of the right shape, so that the app's own
/// configuration binding and start-up validation can run on it.
/// </summary>
internal static partial class DeployedAppSettings
{
    public const string PlaceholderClientId = "00000000-0000-4000-8000-000000000001";

    [GeneratedRegex(@"^\[reference\('(?<module>[^']+)'\)\.outputs\.(?<output>\w+)\.value\]$")]
    private static partial Regex ModuleOutput();

    [GeneratedRegex(@"^\[join\(parameters\('(?<name>[^']+)'\), '(?<separator>[^']*)'\)\]$")]
    private static partial Regex JoinParameter();

    [GeneratedRegex(@"^\[format\('(?<format>[^']*)', parameters\('(?<name>[^']+)'\)\)\]$")]
    private static partial Regex FormatParameter();

    [GeneratedRegex(@"^\[toObject\(range\(0, length\(parameters\('(?<name>[^']+)'\)\)\), lambda\('i', format\('(?<format>[^']*)', lambdaVariables\('i'\)\)\), lambda\('i', parameters\('\k<name>'\)\[lambdaVariables\('i'\)\]\)\)\]$")]
    private static partial Regex IndexedArray();

    [GeneratedRegex(@"^\[toObject\(parameters\('brokerSftpUsers'\), lambda\('u', format\('(?<format>[^']*)', lambdaVariables\('u'\)\.broker\)\), lambda\('u', string\(lambdaVariables\('u'\)\.userId\)\)\)\]$")]
    private static partial Regex PerBrokerSetting();

    [GeneratedRegex(@"^\[string\(or\(not\(empty\(parameters\('(?<a>[^']+)'\)\)\), not\(empty\(parameters\('(?<b>[^']+)'\)\)\)\)\)\]$")]
    private static partial Regex EitherArrayNotEmpty();

    [GeneratedRegex(@"^\[if\(and\(empty\(parameters\('(?<a>[^']+)'\)\), empty\(parameters\('(?<b>[^']+)'\)\)\), '(?<none>[^']*)', '(?<some>[^']*)'\)\]$")]
    private static partial Regex WhenBothArraysEmpty();

    /// <summary>Every setting the function app module writes for <paramref name="main"/> (bound to a parameters file).</summary>
    public static IReadOnlyDictionary<string, string> For(TemplateScope main)
    {
        var app = Arm.Module(main, "functionApp");
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        foreach (var (name, value) in app.Variables["baseSettings"]!.AsObject())
        {
            settings[name] = Evaluate(main, app, name, value);
        }

        // Residency__AllowedRegions__0, __1, ... (and the caller certificate lists): the template builds them with
        // toObject(range(...)); expand the same way.
        foreach (var variable in (string[])["indexedRegions", "indexedThumbprints", "indexedRoots", "indexedSigningCertificates", "indexedSigningThumbprints"])
        {
            var indexed = app.Variables[variable]!.GetValue<string>();
            var match = IndexedArray().Match(indexed);
            if (!match.Success)
            {
                throw new InvalidOperationException($"{variable} changed shape; teach the evaluator: {indexed}");
            }

            var values = ArrayParameter(app, match.Groups["name"].Value);
            for (var i = 0; i < values.Count; i++)
            {
                settings[string.Format(CultureInfo.InvariantCulture, match.Groups["format"].Value, i)] = values[i];
            }
        }

        // Batch__Brokers__<broker>__SftpUserId: broker names from the root's brokers parameter, ids Azure assigns at
        // deployment (placeholders 1000, 1001, ...).
        var perBroker = app.Variables["brokerSftpUserSettings"]!.GetValue<string>();
        var brokerMatch = PerBrokerSetting().Match(perBroker);
        if (!brokerMatch.Success)
        {
            throw new InvalidOperationException($"brokerSftpUserSettings changed shape; teach the evaluator: {perBroker}");
        }
        if (Arm.Resolve(main, JsonValue.Create("[parameters('brokers')]")) is JsonArray brokers)
        {
            for (var i = 0; i < brokers.Count; i++)
            {
                settings[string.Format(CultureInfo.InvariantCulture, brokerMatch.Groups["format"].Value, brokers[i]!["name"]!.GetValue<string>())] =
                    (1000 + i).ToString(CultureInfo.InvariantCulture);
            }
        }

        if (Arm.Resolve(app, JsonValue.Create("[parameters('extraAppSettings')]")) is JsonObject extra)
        {
            foreach (var (name, value) in extra)
            {
                settings[name] = value!.GetValue<string>();
            }
        }

        return settings;
    }

    /// <summary>As the platform hands app settings to .NET configuration: <c>A__B</c> is the key <c>A:B</c>.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> AsConfiguration(IReadOnlyDictionary<string, string> settings) =>
        settings.Select(s => new KeyValuePair<string, string?>(s.Key.Replace("__", ":", StringComparison.Ordinal), s.Value));

    private static string Evaluate(TemplateScope main, TemplateScope app, string name, JsonNode? value)
    {
        var resolved = Arm.Resolve(app, value);
        if (resolved is JsonValue literal && literal.TryGetValue<string>(out var text))
        {
            if (!text.StartsWith('['))
            {
                return text;
            }

            var output = ModuleOutput().Match(text);
            if (output.Success)
            {
                return Placeholder(main, output.Groups["module"].Value, output.Groups["output"].Value, name);
            }

            var either = EitherArrayNotEmpty().Match(text);
            if (either.Success)
            {
                // ARM's string() of a bool is "True" / "False".
                return ArrayParameter(app, either.Groups["a"].Value).Count + ArrayParameter(app, either.Groups["b"].Value).Count > 0 ? "True" : "False";
            }

            var both = WhenBothArraysEmpty().Match(text);
            if (both.Success)
            {
                return ArrayParameter(app, both.Groups["a"].Value).Count + ArrayParameter(app, both.Groups["b"].Value).Count == 0
                    ? both.Groups["none"].Value
                    : both.Groups["some"].Value;
            }

            var join = JoinParameter().Match(text);
            if (join.Success)
            {
                return string.Join(join.Groups["separator"].Value, ArrayParameter(app, join.Groups["name"].Value));
            }

            var format = FormatParameter().Match(text);
            if (format.Success)
            {
                var argument = Evaluate(main, app, name, JsonValue.Create($"[parameters('{format.Groups["name"].Value}')]"));
                return string.Format(CultureInfo.InvariantCulture, format.Groups["format"].Value, argument);
            }
        }
        else if (resolved is JsonValue other)
        {
            return Convert.ToString(other.GetValue<object>(), CultureInfo.InvariantCulture) ?? string.Empty;
        }

        throw new InvalidOperationException($"App setting {name} = {resolved?.ToJsonString()}: an expression the evaluator does not know; teach it.");
    }

    /// <summary>A module output: its literal when the module template has one, else a value of the shape the output names.</summary>
    private static string Placeholder(TemplateScope main, string module, string output, string setting)
    {
        var scope = Arm.Module(main, module);
        if (Arm.ResolveString(scope, scope.Template["outputs"]?[output]?["value"]) is { } literal && !literal.StartsWith('['))
        {
            return literal;
        }

        return output switch
        {
            "clientId" => PlaceholderClientId,
            "fullyQualifiedNamespace" => $"sb-contract-{module}.servicebus.windows.net",
            "appInsightsConnectionString" => "InstrumentationKey=00000000-0000-4000-8000-000000000002;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
            _ when output.EndsWith("Endpoint", StringComparison.Ordinal) || output.EndsWith("uri", StringComparison.OrdinalIgnoreCase)
                => $"https://{module.ToLowerInvariant()}-{output.ToLowerInvariant()}.example.net/",
            _ => throw new InvalidOperationException($"App setting {setting} takes {module}.outputs.{output}: no placeholder shape known; teach the evaluator."),
        };
    }

    [GeneratedRegex(@"^\[union\(createArray\(parameters\('(?<first>[^']+)'\)\), parameters\('(?<rest>[^']+)'\)\)\]$")]
    private static partial Regex UnionOfOneAndArray();

    private static List<string> ArrayParameter(TemplateScope scope, string name)
    {
        var resolved = Arm.Resolve(scope, JsonValue.Create($"[parameters('{name}')]"));
        if (resolved is JsonArray array)
        {
            return array.Select(n => n!.GetValue<string>()).ToList();
        }

        // union([location], residencyAllowedRegions): the region itself first, then the others, without repeats.
        if (Arm.ResolveString(scope, resolved) is { } text && UnionOfOneAndArray().Match(text) is { Success: true } union)
        {
            var root = RootOf(scope);
            var first = Arm.ResolveString(root, JsonValue.Create($"[parameters('{union.Groups["first"].Value}')]"))!;
            return [.. new[] { first }.Concat(ArrayParameter(root, union.Groups["rest"].Value)).Distinct(StringComparer.OrdinalIgnoreCase)];
        }

        throw new InvalidOperationException($"Parameter {name} does not resolve to an array: {resolved?.ToJsonString()}");
    }

    private static TemplateScope RootOf(TemplateScope scope) => scope.Parent is null ? scope : RootOf(scope.Parent);
}
