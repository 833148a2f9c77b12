using System.Globalization;
using PortCustoms.Core.Batch;
using PortCustoms.Core.CodeLists;
using PortCustoms.Core.Events;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Operations;

/// <summary>What one check made of one value: valid, a finding with its code, or a code the code lists do not know.</summary>
public readonly record struct FieldCheck(string? FindingCode, string? UnmappedCode)
{
    public static FieldCheck Valid => default;

    public static FieldCheck Finding(string code) => new(code, null);

    /// <summary>Well-formed, but no code list maps it: counted and reported so it can be mapped before go-live.</summary>
    public static FieldCheck Unmapped(string code) => new(null, code);
}

/// <summary>One column of an export and how its values are checked.</summary>
public sealed record ExportField(string Name, bool Mandatory, Func<string, FieldCheck> Check);

/// <summary>
/// What a terminal export must hold to feed the customs messages: the columns, which are mandatory, and the checks (check
/// digits, formats, code lists). Named so <c>audit --profile</c> can pick one.
/// </summary>
public sealed record ExportProfile(string Name, string Description, IReadOnlyList<ExportField> Fields)
{
    /// <summary>The discharge list checked against <paramref name="lists"/> (a deployment's lists with its overrides).</summary>
    public static ExportProfile DischargeListFor(CodeListSet lists) => new(
        "discharge-list",
        "The terminal's discharge list (contracts/files.md): feeds manifest reconciliation.",
        [
            new("containerNumber", true, ContainerNumberCheck),
            new("vesselImo", true, ImoCheck),
            new("voyage", true, TextCheck),
            new("dischargedAt", true, TimeCheck),
            new("sizeType", false, v => SizeTypeCheck(v, lists.SizeTypes)),
            new("sealNumbers", false, TextCheck),
            new("grossMassKg", false, MassCheck),
            new("fullEmpty", false, v => v.Trim().ToUpperInvariant() is "F" or "E" ? FieldCheck.Valid : FieldCheck.Unmapped(v.Trim())),
            new("billOfLading", false, TextCheck),
        ]);

    /// <summary>Status events checked against <paramref name="lists"/>.</summary>
    public static ExportProfile StatusEventsFor(CodeListSet lists) => new(
        "status-events",
        "Container status events as the terminal sends them (POST /api/v1/events): feed CODECO/COARRI to customs.",
        [
            new("eventId", true, TextCheck),
            new("containerNumber", true, ContainerNumberCheck),
            new("type", true, v => ContainerEventTypes.TryParse(v.Trim().AsSpan(), out _) ? FieldCheck.Valid : FieldCheck.Unmapped(v.Trim())),
            new("occurredAt", true, TimeCheck),
            new("vesselImo", false, ImoCheck),
            new("voyage", false, TextCheck),
            new("location", false, v => LocodeCheck(v, lists.UnLocodes)),
            new("sealNumbers", false, TextCheck),
            new("grossMassKg", false, MassCheck),
            new("sizeType", false, v => SizeTypeCheck(v, lists.SizeTypes)),
        ]);

    /// <summary>The discharge list checked against the shipped lists.</summary>
    public static ExportProfile DischargeList { get; } = DischargeListFor(CodeListSet.Shipped);

    /// <summary>Status events checked against the shipped lists.</summary>
    public static ExportProfile StatusEvents { get; } = StatusEventsFor(CodeListSet.Shipped);

    public static IReadOnlyList<ExportProfile> All { get; } = [DischargeList, StatusEvents];

    /// <summary>The profile named <paramref name="name"/>, its codes checked against <paramref name="lists"/> (the shipped lists when null).</summary>
    public static ExportProfile? Find(string name, CodeListSet? lists = null)
    {
        var profile = All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        return profile is null || lists is null || ReferenceEquals(lists, CodeListSet.Shipped) ? profile
            : profile.Name == DischargeList.Name ? DischargeListFor(lists) : StatusEventsFor(lists);
    }

    private static FieldCheck ContainerNumberCheck(string value) => ContainerNumber.TryParse(value.Trim().AsSpan(), out _) switch
    {
        ContainerNumberError.None => FieldCheck.Valid,
        ContainerNumberError.CheckDigit => FieldCheck.Finding("CHECK-DIGIT"),
        _ => FieldCheck.Finding("FORMAT"),
    };

    private static FieldCheck ImoCheck(string value) => ImoNumber.TryParse(value.Trim().AsSpan(), out _) switch
    {
        ImoNumberError.None => FieldCheck.Valid,
        ImoNumberError.CheckDigit => FieldCheck.Finding("CHECK-DIGIT"),
        _ => FieldCheck.Finding("FORMAT"),
    };

    private static FieldCheck TimeCheck(string value) =>
        IsoInstant.TryParse(value, out _) ? FieldCheck.Valid
        // A time without an offset cannot be sent to customs without guessing a zone.
        : DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? FieldCheck.Finding("TIME-NO-OFFSET")
        : FieldCheck.Finding("TIME-FORMAT");

    private static FieldCheck SizeTypeCheck(string value, SizeTypeList sizeTypes)
    {
        var text = value.Trim();
        if (!SizeTypeCode.TryParse(text, out var code))
        {
            return FieldCheck.Finding("FORMAT");
        }
        return sizeTypes.Lookup(code).IsKnown ? FieldCheck.Valid : FieldCheck.Unmapped(text);
    }

    private static FieldCheck LocodeCheck(string value, CodeList unLocodes)
    {
        var text = value.Trim();
        return !unLocodes.HasValidForm(text) ? FieldCheck.Finding("LOCODE-FORMAT")
            : unLocodes.Contains(text) ? FieldCheck.Valid
            : FieldCheck.Unmapped(text);
    }

    private static FieldCheck MassCheck(string value) =>
        decimal.TryParse(value.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var kg) && kg > 0 && kg < 200_000
            ? FieldCheck.Valid
            : FieldCheck.Finding("NUMBER");

    private static FieldCheck TextCheck(string value) =>
        value.Any(char.IsControl) ? FieldCheck.Finding("CONTROL-CHARACTER") : FieldCheck.Valid;
}

/// <summary>One finding code on one field: the exact count and the first rows it was seen on.</summary>
public sealed record AuditFinding(string Code, long Count, IReadOnlyList<long> Rows);

/// <summary>One field of the export: rows in which it was filled, and in which it was also valid.</summary>
public sealed record AuditField(string Field, bool Mandatory, long Filled, long Valid, IReadOnlyList<AuditFinding> Findings);

/// <summary>A code no code list maps, with how often it was seen.</summary>
public sealed record UnmappedCode(string Field, string Code, long Count, IReadOnlyList<long> Rows);

/// <summary>The audit of one export.</summary>
public sealed record ExportAuditReport(
    string Profile,
    long Rows,
    IReadOnlyList<AuditField> Fields,
    IReadOnlyList<UnmappedCode> UnmappedCodes,
    IReadOnlyList<string> IgnoredColumns,
    string? Error)
{
    /// <summary>Every mandatory field filled and valid in every row, and the file readable to its end (exit 0).</summary>
    public bool Passes => Error is null && Fields.Where(f => f.Mandatory).All(f => f.Filled == Rows && f.Valid == Rows);
}

/// <summary>
/// Profiles a terminal export before go-live, streaming: per field, rows filled and valid, findings by code with up to
/// five example rows, and codes the code lists do not map. Memory holds one record and the counters, whatever the file
/// size; distinct unmapped codes are tracked up to a bound, beyond which they are counted together.
/// </summary>
public static class ExportAuditor
{
    public const int ExampleRows = 5;
    public const int MaxDistinctUnmappedCodes = 1000;
    public const string OtherCodes = "(other codes)";

    public static async Task<ExportAuditReport> AuditAsync(Stream csv, ExportProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(profile);

        var fields = profile.Fields.Select(f => new FieldCounter(f)).ToList();
        var unmapped = new Dictionary<(string Field, string Code), Counter>();
        var ignored = new List<string>();
        long rows = 0;
        string? error = null;

        using var reader = new CsvRecordReader(csv, leaveOpen: true);
        try
        {
            var header = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (header is null)
            {
                return new ExportAuditReport(profile.Name, 0, Report(fields), [], [], "The file is empty: a header row is required.");
            }
            var indexes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Fields.Count; i++)
            {
                var name = header.Fields[i].Trim();
                if (profile.Fields.Any(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    indexes.TryAdd(name, i);
                }
                else
                {
                    ignored.Add(name);
                }
            }
            foreach (var field in fields)
            {
                field.Index = indexes.TryGetValue(field.Field.Name, out var index) ? index : -1;
            }

            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } record)
            {
                if (record.Fields.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }
                rows++;
                foreach (var field in fields)
                {
                    var value = field.Index >= 0 && field.Index < record.Fields.Count ? record.Fields[field.Index] : null;
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        if (field.Field.Mandatory)
                        {
                            field.Add("MISSING", record.Line);
                        }
                        continue;
                    }
                    field.Filled++;
                    var check = field.Field.Check(value);
                    if (check.FindingCode is { } code)
                    {
                        field.Add(code, record.Line);
                    }
                    else if (check.UnmappedCode is { } unmappedCode)
                    {
                        // Well-formed but unknown: not valid for customs until mapped, and listed once per distinct code.
                        field.Add("UNMAPPED", record.Line);
                        var key = unmapped.Count < MaxDistinctUnmappedCodes || unmapped.ContainsKey((field.Field.Name, unmappedCode))
                            ? (field.Field.Name, unmappedCode)
                            : (field.Field.Name, OtherCodes);
                        if (!unmapped.TryGetValue(key, out var counter))
                        {
                            unmapped[key] = counter = new Counter();
                        }
                        counter.Add(record.Line);
                    }
                    else
                    {
                        field.Valid++;
                    }
                }
            }
        }
        catch (CsvFormatException ex)
        {
            error = $"{ex.Code} at line {ex.Line}: {ex.Message}";
        }
        catch (System.Text.DecoderFallbackException)
        {
            error = "The file is not UTF-8.";
        }

        return new ExportAuditReport(
            profile.Name,
            rows,
            Report(fields),
            unmapped.OrderByDescending(u => u.Value.Count).ThenBy(u => u.Key.Field, StringComparer.Ordinal).ThenBy(u => u.Key.Code, StringComparer.Ordinal)
                .Select(u => new UnmappedCode(u.Key.Field, u.Key.Code, u.Value.Count, u.Value.Rows)).ToList(),
            ignored,
            error);
    }

    private static List<AuditField> Report(List<FieldCounter> fields) =>
        fields.Select(f => new AuditField(
            f.Field.Name, f.Field.Mandatory, f.Filled, f.Valid,
            f.Findings.OrderByDescending(x => x.Value.Count).ThenBy(x => x.Key, StringComparer.Ordinal)
                .Select(x => new AuditFinding(x.Key, x.Value.Count, x.Value.Rows)).ToList())).ToList();

    private sealed class FieldCounter(ExportField field)
    {
        public ExportField Field { get; } = field;

        public int Index { get; set; } = -1;

        public long Filled { get; set; }

        public long Valid { get; set; }

        public Dictionary<string, Counter> Findings { get; } = new(StringComparer.Ordinal);

        public void Add(string code, long row)
        {
            if (!Findings.TryGetValue(code, out var counter))
            {
                Findings[code] = counter = new Counter();
            }
            counter.Add(row);
        }
    }

    private sealed class Counter
    {
        private readonly List<long> _rows = new(ExampleRows);

        public long Count { get; private set; }

        public IReadOnlyList<long> Rows => _rows;

        public void Add(long row)
        {
            Count++;
            if (_rows.Count < ExampleRows)
            {
                _rows.Add(row);
            }
        }
    }
}
