using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace PortCustoms.Core.CodeLists;

/// <summary>What happens to a message carrying a code its list does not map.</summary>
public enum UnmappedCodeAction
{
    /// <summary>The message goes on with the code kept as sent and a warning (a customs status is read as HOLD).</summary>
    Hold,

    /// <summary>The message is rejected with an error (CONTRL, quarantine); a customs status is still HOLD.</summary>
    Reject,
}

/// <summary>
/// Section <c>CodeLists</c>: files that replace or extend shipped lists, and what an unmapped code does. Validated at
/// start by loading every file: a bad override stops the app naming the file and the problem.
/// </summary>
public sealed class CodeListOptions : IValidatableObject
{
    public const string SectionName = "CodeLists";

    /// <summary>Paths of override files (JSON in the shipped lists' shape plus <c>"mode": "replace" | "extend"</c>), applied in order.</summary>
    public List<string> Overrides { get; } = [];

    public UnmappedCodeAction Unmapped { get; set; } = UnmappedCodeAction.Hold;

    /// <summary>The shipped lists with <see cref="Overrides"/> applied; throws <see cref="CodeListException"/>.</summary>
    public CodeListSet Load()
    {
        var files = new List<(string, string)>();
        foreach (var path in Overrides)
        {
            try
            {
                files.Add((path, File.ReadAllText(path)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new CodeListException($"Code list override '{path}' cannot be read: {ex.Message}");
            }
        }
        return files.Count == 0 ? CodeListSet.Shipped : CodeListSet.Load(files);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Unmapped))
        {
            yield return new ValidationResult($"{SectionName}:Unmapped must be Hold or Reject.", [nameof(Unmapped)]);
        }
        string? problem = null;
        try
        {
            Load();
        }
        catch (CodeListException ex)
        {
            problem = ex.Message;
        }
        if (problem is not null)
        {
            yield return new ValidationResult($"{SectionName}:Overrides: {problem}", [nameof(Overrides)]);
        }
    }
}

/// <summary>Validates <see cref="CodeListOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class CodeListOptionsValidator : IValidateOptions<CodeListOptions>
{
}

/// <summary>
/// The one code-list service: the deployment's lists (<see cref="CodeListSet"/>), what an unmapped code does, and the
/// metric that counts unmapped codes by list and code. Thread-safe.
/// </summary>
public sealed class CodeListService
{
    public const string MeterName = "PortCustoms.CodeLists";

    /// <summary>Distinct codes named per list on the metric; past them the code tag is <c>(other)</c>: input cannot grow the series.</summary>
    public const int MaxCodesPerList = 50;

    private readonly Counter<long>? _unmapped;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _named = new(StringComparer.Ordinal);

    public CodeListService(IOptions<CodeListOptions> options, IMeterFactory? meterFactory = null)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value.Load(), options.Value.Unmapped, meterFactory)
    {
    }

    public CodeListService(CodeListSet lists, UnmappedCodeAction unmapped = UnmappedCodeAction.Hold, IMeterFactory? meterFactory = null)
    {
        Lists = lists ?? throw new ArgumentNullException(nameof(lists));
        Unmapped = unmapped;
        _unmapped = meterFactory?.Create(MeterName).CreateCounter<long>("portcustoms.codelists.unmapped", unit: "{code}",
            description: "Codes a code list does not map, by list and code (the first 50 codes per list by name, then '(other)'), and the action taken.");
    }

    /// <summary>The shipped lists, unmapped codes held, no metric (offline tools, tests).</summary>
    public static CodeListService Shipped { get; } = new(CodeListSet.Shipped);

    public CodeListSet Lists { get; }

    public UnmappedCodeAction Unmapped { get; }

    /// <summary>Counts one unmapped code (bounded cardinality).</summary>
    public void CountUnmapped(string list, string code)
    {
        if (_unmapped is null)
        {
            return;
        }
        var named = _named.GetOrAdd(list, static _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
        var tag = named.ContainsKey(code) || (named.Count < MaxCodesPerList && named.TryAdd(code, 0)) ? code : "(other)";
        _unmapped.Add(1, new KeyValuePair<string, object?>("list", list), new KeyValuePair<string, object?>("code", tag),
            new KeyValuePair<string, object?>("action", Unmapped.ToString().ToUpperInvariant()));
    }
}
