using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.CodeLists;

/// <summary>A code list file that cannot be used: which file, which list and what is wrong. Raised at start, never mid-message.</summary>
public sealed class CodeListException(string message) : Exception(message);

/// <summary>The names of the lists, as in each file's <c>list</c> and in findings and metrics.</summary>
public static class CodeListNames
{
    public const string SizeTypes = "size-types";
    public const string ContainerCategories = "container-categories";
    public const string UnLocodes = "un-locodes";
    public const string PackageTypes = "package-types";
    public const string HsCodes = "hs-codes";
    public const string CustomsStatus = "customs-status";

    public static IReadOnlyList<string> All { get; } = [SizeTypes, ContainerCategories, UnLocodes, PackageTypes, HsCodes, CustomsStatus];
}

/// <summary>A list of codes with a description each (and, for UN/LOCODE and HS, the pattern a code must match).</summary>
public sealed class CodeList
{
    internal CodeList(string name, string version, FrozenDictionary<string, string> codes, Regex? pattern)
    {
        Name = name;
        Version = version;
        Codes = codes;
        Pattern = pattern;
    }

    public string Name { get; }

    public string Version { get; }

    /// <summary>Code to description; empty for a format-only list (HS).</summary>
    public FrozenDictionary<string, string> Codes { get; }

    public Regex? Pattern { get; }

    /// <summary>The code's form is right (always, for a list without a pattern).</summary>
    public bool HasValidForm(string code) => Pattern is null || Pattern.IsMatch(code);

    public bool Contains(string code) => Codes.ContainsKey(code);

    /// <summary>The same look-up for a value read in place from a message (no string per value).</summary>
    public bool Contains(ReadOnlySpan<char> code) => Codes.GetAlternateLookup<ReadOnlySpan<char>>().ContainsKey(code);
}

/// <summary>
/// The code lists one deployment uses: the files shipped in <c>CodeLists/*.json</c> (embedded in this assembly, each
/// with its version), with the deployment's override files applied (<c>mode</c> <c>replace</c> or <c>extend</c>).
/// Immutable; built and checked at start.
/// </summary>
public sealed class CodeListSet
{
    private static readonly Lazy<CodeListSet> LazyShipped = new(() => Load([]));

    private CodeListSet(SizeTypeList sizeTypes, IReadOnlyDictionary<string, CodeList> lists, FrozenDictionary<string, CustomsStatusMap> statusMaps, string statusVersion)
    {
        SizeTypes = sizeTypes;
        _lists = lists;
        StatusMaps = statusMaps;
        StatusVersion = statusVersion;
    }

    private readonly IReadOnlyDictionary<string, CodeList> _lists;

    /// <summary>The lists as shipped, without overrides.</summary>
    public static CodeListSet Shipped => LazyShipped.Value;

    // Loading parses size-type codes, whose parser interns known codes from the shipped list: not while loading it.
    [ThreadStatic]
    private static bool t_loading;

    internal static CodeListSet? ShippedUnlessLoading => t_loading ? null : Shipped;

    public SizeTypeList SizeTypes { get; }

    public CodeList ContainerCategories => _lists[CodeListNames.ContainerCategories];

    public CodeList UnLocodes => _lists[CodeListNames.UnLocodes];

    public CodeList PackageTypes => _lists[CodeListNames.PackageTypes];

    public CodeList HsCodes => _lists[CodeListNames.HsCodes];

    /// <summary>Customs authority name to its status code map.</summary>
    public FrozenDictionary<string, CustomsStatusMap> StatusMaps { get; }

    public string StatusVersion { get; }

    /// <summary>Each list's name and version, for the start log and reports.</summary>
    public IEnumerable<(string List, string Version)> Versions =>
        [(CodeListNames.SizeTypes, SizeTypes.Version), .. _lists.Values.Select(l => (l.Name, l.Version)), (CodeListNames.CustomsStatus, StatusVersion)];

    /// <summary>The shipped lists with <paramref name="overrides"/> (JSON file contents, with a name for messages) applied in order.</summary>
    public static CodeListSet Load(IEnumerable<(string Source, string Json)> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var wasLoading = t_loading;
        t_loading = true;
        try
        {
            return LoadLayers(overrides);
        }
        finally
        {
            t_loading = wasLoading;
        }
    }

    private static CodeListSet LoadLayers(IEnumerable<(string Source, string Json)> overrides)
    {
        var documents = new Dictionary<string, List<(string Source, JsonElement Root, bool Replace)>>(StringComparer.Ordinal);
        foreach (var name in CodeListNames.All)
        {
            var shipped = ReadShipped(name);
            documents[name] = [($"shipped {name}.json", shipped, true)];
        }
        foreach (var (source, json) in overrides)
        {
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(json);
                root = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new CodeListException($"Code list override '{source}' is not JSON: {ex.Message}");
            }
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CodeListException($"Code list override '{source}' must be a JSON object.");
            }
            var list = Text(root, "list", source);
            if (!documents.TryGetValue(list, out var layers))
            {
                throw new CodeListException($"Code list override '{source}' names list '{list}'; known lists: {string.Join(", ", CodeListNames.All)}.");
            }
            Text(root, "version", source);
            var mode = root.TryGetProperty("mode", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            if (mode is not ("replace" or "extend"))
            {
                throw new CodeListException($"Code list override '{source}': \"mode\" must be \"replace\" or \"extend\".");
            }
            layers.Add((source, root, mode == "replace"));
        }

        var sizeTypes = BuildSizeTypes(documents[CodeListNames.SizeTypes]);
        var lists = new Dictionary<string, CodeList>(StringComparer.Ordinal);
        foreach (var name in new[] { CodeListNames.ContainerCategories, CodeListNames.UnLocodes, CodeListNames.PackageTypes, CodeListNames.HsCodes })
        {
            lists[name] = BuildList(name, documents[name]);
        }
        var (statusMaps, statusVersion) = BuildStatusMaps(documents[CodeListNames.CustomsStatus]);
        return new CodeListSet(sizeTypes, lists, statusMaps, statusVersion);
    }

    private static JsonElement ReadShipped(string name)
    {
        using var stream = typeof(CodeListSet).Assembly.GetManifestResourceStream($"PortCustoms.Core.CodeLists.{name}.json")
            ?? throw new InvalidOperationException($"The shipped code list {name}.json is not embedded.");
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }

    private static string Text(JsonElement root, string property, string source) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : throw new CodeListException($"Code list '{source}' has no \"{property}\".");

    private static IEnumerable<(string Code, JsonElement Value)> Entries(JsonElement root, string property, string source, bool required)
    {
        if (!root.TryGetProperty(property, out var element))
        {
            if (required)
            {
                throw new CodeListException($"Code list '{source}' has no \"{property}\".");
            }
            yield break;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new CodeListException($"Code list '{source}': \"{property}\" must be an object of code to value.");
        }
        foreach (var entry in element.EnumerateObject())
        {
            if (string.IsNullOrWhiteSpace(entry.Name) || entry.Name.Trim() != entry.Name)
            {
                throw new CodeListException($"Code list '{source}': \"{property}\" has an empty or padded code '{entry.Name}'.");
            }
            yield return (entry.Name, entry.Value);
        }
    }

    private static CodeList BuildList(string name, List<(string Source, JsonElement Root, bool Replace)> layers)
    {
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        Regex? pattern = null;
        var version = string.Empty;
        foreach (var (source, root, replace) in layers)
        {
            version = Text(root, "version", source);
            if (replace)
            {
                codes.Clear();
            }
            if (root.TryGetProperty("pattern", out var p))
            {
                try
                {
                    pattern = new Regex(p.GetString() ?? string.Empty, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
                }
                catch (ArgumentException ex)
                {
                    throw new CodeListException($"Code list '{source}': \"pattern\" is not a regular expression: {ex.Message}");
                }
            }
            foreach (var (code, value) in Entries(root, "codes", source, required: name != CodeListNames.HsCodes))
            {
                if (value.ValueKind != JsonValueKind.String)
                {
                    throw new CodeListException($"Code list '{source}': code '{code}' needs a description (a string).");
                }
                if (pattern is not null && !pattern.IsMatch(code))
                {
                    throw new CodeListException($"Code list '{source}': code '{code}' does not match the list's pattern {pattern}.");
                }
                codes[code] = value.GetString()!;
            }
        }
        return new CodeList(name, version, codes.ToFrozenDictionary(StringComparer.Ordinal), pattern);
    }

    private static SizeTypeList BuildSizeTypes(List<(string Source, JsonElement Root, bool Replace)> layers)
    {
        var map = new Dictionary<string, SizeTypeCodeInfo>(StringComparer.Ordinal);
        var version = string.Empty;
        foreach (var (source, root, replace) in layers)
        {
            version = Text(root, "version", source);
            if (replace)
            {
                map.Clear();
            }
            if (root.TryGetProperty("iso1995", out var iso))
            {
                if (iso.ValueKind != JsonValueKind.Array)
                {
                    throw new CodeListException($"Code list '{source}': \"iso1995\" must be an array.");
                }
                foreach (var entry in iso.EnumerateArray())
                {
                    var code = SizeType(entry.TryGetProperty("code", out var c) ? c.GetString() : null, source);
                    var feet = entry.TryGetProperty("lengthFeet", out var f) && f.TryGetInt32(out var n) && n > 0 ? n
                        : throw new CodeListException($"Code list '{source}': size-type '{code}' needs a positive \"lengthFeet\".");
                    var description = entry.TryGetProperty("description", out var d) ? d.GetString() ?? string.Empty : string.Empty;
                    map[code.ToString()] = new SizeTypeCodeInfo(code, SizeTypeCodeKind.Iso1995, code, feet, description);
                }
            }
            foreach (var (property, kind) in new[] { ("iso1984", SizeTypeCodeKind.Iso1984), ("aliases", SizeTypeCodeKind.Alias) })
            {
                foreach (var (code, value) in Entries(root, property, source, required: false))
                {
                    var from = SizeType(code, source);
                    var to = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                    if (to is null || !map.TryGetValue(to, out var target) || target.Kind != SizeTypeCodeKind.Iso1995)
                    {
                        throw new CodeListException($"Code list '{source}': {property} '{code}' maps to '{to}', which is no ISO 6346 (1995) code of the list.");
                    }
                    map[code] = new SizeTypeCodeInfo(from, kind, target.Canonical, target.LengthFeet, target.Description);
                }
            }
        }
        return new SizeTypeList(version, map.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static SizeTypeCode SizeType(string? text, string source)
    {
        var error = SizeTypeCode.TryParse((text ?? string.Empty).AsSpan(), out var code);
        return error == SizeTypeCodeError.None
            ? code
            : throw new CodeListException($"Code list '{source}': '{text}' is not a size-type code: {SizeTypeCode.Describe(error)}.");
    }

    private static (FrozenDictionary<string, CustomsStatusMap>, string) BuildStatusMaps(List<(string Source, JsonElement Root, bool Replace)> layers)
    {
        var maps = new Dictionary<string, Dictionary<string, CustomsStatusCodeRule>>(StringComparer.Ordinal);
        var version = string.Empty;
        foreach (var (source, root, replace) in layers)
        {
            version = Text(root, "version", source);
            foreach (var (authority, codes) in Entries(root, "authorities", source, required: true))
            {
                if (replace || !maps.TryGetValue(authority, out var map))
                {
                    map = new Dictionary<string, CustomsStatusCodeRule>(StringComparer.Ordinal);
                    maps[authority] = map;
                }
                if (codes.ValueKind != JsonValueKind.Object)
                {
                    throw new CodeListException($"Code list '{source}': authority '{authority}' must be an object of status code to rule.");
                }
                foreach (var (code, rule) in Entries(root.GetProperty("authorities"), authority, source, required: true))
                {
                    var decisionText = rule.ValueKind == JsonValueKind.Object && rule.TryGetProperty("decision", out var d) ? d.GetString() : null;
                    var reason = rule.ValueKind == JsonValueKind.Object && rule.TryGetProperty("reason", out var r) ? r.GetString() : null;
                    if (!GateNames.TryParseDecision(decisionText, out var decision))
                    {
                        throw new CodeListException($"Code list '{source}': {authority} status '{code}' has decision '{decisionText}'; expected CLEAR, HOLD or INSPECT.");
                    }
                    if (string.IsNullOrWhiteSpace(reason))
                    {
                        throw new CodeListException($"Code list '{source}': {authority} status '{code}' needs a \"reason\" (the gate clerk reads it).");
                    }
                    map[code] = new CustomsStatusCodeRule { Decision = decision, Reason = reason };
                }
            }
        }
        return (maps.ToFrozenDictionary(m => m.Key, m => new CustomsStatusMap(m.Key, m.Value.ToFrozenDictionary(StringComparer.Ordinal)), StringComparer.Ordinal), version);
    }
}

/// <summary>One authority's status codes as shipped or overridden (<c>CustomsAuthority:StatusCodes</c> still adds to it).</summary>
public sealed record CustomsStatusMap(string Authority, FrozenDictionary<string, CustomsStatusCodeRule> Codes);

/// <summary>The ISO 6346 size-type list: 1995 codes, 1984 codes and aliases, each known code with its 1995 code.</summary>
public sealed class SizeTypeList
{
    private readonly FrozenDictionary<string, SizeTypeCodeInfo> _entries;
    private readonly FrozenDictionary<string, SizeTypeCodeInfo>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    internal SizeTypeList(string version, FrozenDictionary<string, SizeTypeCodeInfo> entries)
    {
        Version = version;
        _entries = entries;
        _bySpan = entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Version { get; }

    public int Count => _entries.Count;

    /// <summary>Looks a code up. An unknown code comes back with <see cref="SizeTypeCodeKind.Unknown"/> and itself as canonical.</summary>
    public SizeTypeCodeInfo Lookup(SizeTypeCode code)
    {
        if (code.IsEmpty)
        {
            throw new ArgumentException("The size-type code is empty (default).", nameof(code));
        }
        return _entries.TryGetValue(code.ToString(), out var info)
            ? info
            : new SizeTypeCodeInfo(code, SizeTypeCodeKind.Unknown, code, 0, "not in the ISO 6346 code lists known to this app");
    }

    /// <summary>The ISO 6346 (1995) code customs gets for a code; an unknown code stays itself, the empty code empty.</summary>
    public SizeTypeCode Canonical(SizeTypeCode code) => code.IsEmpty ? code : Lookup(code).Canonical;

    internal string? Intern(ReadOnlySpan<char> text) => _bySpan.TryGetValue(text, out var info) ? info.Code.ToString() : null;
}
