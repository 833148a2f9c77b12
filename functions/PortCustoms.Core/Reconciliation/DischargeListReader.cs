using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Reconciliation;

/// <summary>A file-level fault: the discharge list cannot be read at all. <see cref="Line"/> is 1-based, or 0 when not known.</summary>
public sealed record DischargeListError(string Code, string Message, int Line, string? Path = null);

/// <summary>The list (rows kept, invalid ones as findings), or the errors that made it unreadable.</summary>
public sealed record DischargeListReadResult(DischargeList? List, IReadOnlyList<DischargeListError> Errors)
{
    public bool Success => List is not null;
}

/// <summary>
/// Reads a terminal's discharge list (contracts/files.md): CSV (RFC 4180, UTF-8, header row, columns in any order and
/// case) or terminal JSON (<c>{ vesselImo, voyage, containers: [...] }</c>, or an array of status events of which the
/// <c>DISCHARGED</c> ones count). Every row ends as a discharged container, a finding, or both; blank CSV lines are the
/// only thing passed over. A row for another vessel call is a finding, never a silent skip.
/// </summary>
public static partial class DischargeListReader
{
    public static readonly IReadOnlyList<string> RequiredColumns = ["containerNumber", "vesselImo", "voyage", "dischargedAt"];

    public static readonly IReadOnlyList<string> OptionalColumns = ["sizeType", "sealNumbers", "grossMassKg", "fullEmpty", "billOfLading"];

    /// <summary>Detects CSV or JSON by the first non-blank character.</summary>
    public static DischargeListReadResult Read(ReadOnlySpan<byte> utf8, VesselCall? expected = null)
    {
        var text = Decode(utf8);
        var first = text.AsSpan().TrimStart();
        if (first.IsEmpty)
        {
            return Fail(ReconciliationErrorCodes.FileEmpty, "The discharge list is empty: no header, no rows.", 1);
        }
        return first[0] is '{' or '[' ? ReadJson(text, expected) : ReadCsv(text, expected);
    }

    public static DischargeListReadResult ReadCsv(string text, VesselCall? expected = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<(int Line, List<string> Fields)>();
        var error = ParseCsv(text, records);
        if (error is not null)
        {
            return new DischargeListReadResult(null, [error]);
        }
        if (records.Count == 0)
        {
            return Fail(ReconciliationErrorCodes.FileEmpty, "The discharge list is empty: no header, no rows.", 1);
        }
        var header = records[0].Fields;
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (!columns.TryAdd(name, i) && name.Length > 0)
            {
                return Fail(ReconciliationErrorCodes.ColumnDuplicate, $"The header names column '{name}' twice (columns {columns[name] + 1} and {i + 1}).", records[0].Line);
            }
        }
        var missing = RequiredColumns.Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            return Fail(ReconciliationErrorCodes.ColumnMissing, $"The header lacks the required column{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing)} (required: {string.Join(", ", RequiredColumns)}; names in any order and case).", records[0].Line);
        }
        if (records.Count == 1)
        {
            return Fail(ReconciliationErrorCodes.FileEmpty, "The discharge list has a header but no rows.", records[0].Line + 1);
        }
        var rows = new List<RawRow>(records.Count - 1);
        for (var r = 1; r < records.Count; r++)
        {
            var (line, fields) = records[r];
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, index) in columns)
            {
                values[name] = index < fields.Count ? fields[index] : null;
            }
            rows.Add(new RawRow(r, values, fields.Count != header.Count
                ? $"the row has {fields.Count} fields, the header {header.Count} (line {line}); its values cannot be placed in their columns"
                : null));
        }
        return Build(rows, expected, 2);
    }

    public static DischargeListReadResult ReadJson(string text, VesselCall? expected = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            return Fail(ReconciliationErrorCodes.JsonSyntax, $"Not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}).", (int)(ex.LineNumber ?? 0) + 1);
        }
        using (document)
        {
            var root = document.RootElement;
            var rows = new List<RawRow>();
            if (root.ValueKind == JsonValueKind.Array)
            {
                // An array of status events (POST /api/v1/events): the DISCHARGED ones are the list.
                var index = 0;
                foreach (var element in root.EnumerateArray())
                {
                    index++;
                    var values = Fields(element);
                    values.TryGetValue("occurredAt", out var occurredAt);
                    values["dischargedAt"] = occurredAt;
                    values.TryGetValue("type", out var type);
                    rows.Add(element.ValueKind != JsonValueKind.Object
                        ? new RawRow(index, values, $"$[{index - 1}] is not an event object", ReconciliationErrorCodes.JsonShape)
                        : new RawRow(index, values, !string.Equals(type, "DISCHARGED", StringComparison.Ordinal) ? $"$[{index - 1}] is a {type ?? "(no type)"} event, not DISCHARGED; it is not part of the discharge list" : null, ReconciliationErrorCodes.NotDischarged));
                }
            }
            else if (root.ValueKind == JsonValueKind.Object && TryProperty(root, "containers", out var containers) && containers.ValueKind == JsonValueKind.Array)
            {
                // The declared version (absent: as before); no transition here, only what this build reads.
                if (TryProperty(root, Versions.JsonSchemaVersions.Property, out var declared)
                    && Versions.JsonSchemaVersions.Refuse(Versions.JsonSchemaVersions.DischargeList, declared.ValueKind == JsonValueKind.String ? declared.GetString()! : declared.GetRawText(), null) is { } refused)
                {
                    return Fail(refused.Code, refused.Reason, 1);
                }
                var listImo = TryProperty(root, "vesselImo", out var imo) ? Scalar(imo) : null;
                var listVoyage = TryProperty(root, "voyage", out var voyage) ? Scalar(voyage) : null;
                var index = 0;
                foreach (var element in containers.EnumerateArray())
                {
                    index++;
                    var values = Fields(element);
                    // Rows inherit the list's vessel call unless they name their own.
                    if (string.IsNullOrEmpty(values.GetValueOrDefault("vesselImo")))
                    {
                        values["vesselImo"] = listImo;
                    }
                    if (string.IsNullOrEmpty(values.GetValueOrDefault("voyage")))
                    {
                        values["voyage"] = listVoyage;
                    }
                    rows.Add(new RawRow(index, values, element.ValueKind != JsonValueKind.Object ? $"$.containers[{index - 1}] is not an object" : null, ReconciliationErrorCodes.JsonShape));
                }
            }
            else
            {
                return Fail(ReconciliationErrorCodes.JsonShape, "Terminal JSON is a discharge list { \"vesselImo\", \"voyage\", \"containers\": [...] } or an array of status events.", 1, "$");
            }
            if (rows.Count == 0)
            {
                return Fail(ReconciliationErrorCodes.FileEmpty, "The discharge list has no rows.", 1, root.ValueKind == JsonValueKind.Array ? "$" : "$.containers");
            }
            return Build(rows, expected, 0);
        }
    }

    private sealed record RawRow(int Row, Dictionary<string, string?> Values, string? Fault, string FaultCode = ReconciliationErrorCodes.RowFieldCount);

    private static DischargeListReadResult Build(List<RawRow> rows, VesselCall? expected, int firstDataLine)
    {
        var call = expected ?? FirstVesselCall(rows);
        if (call is null)
        {
            return Fail(ReconciliationErrorCodes.NoVesselCall, "No row names a valid vessel (vesselImo with its check digit) and voyage: the list cannot be tied to a vessel call.", firstDataLine);
        }
        var containers = new List<DischargedContainer>(rows.Count);
        var findings = new List<DischargeListFinding>();
        foreach (var row in rows)
        {
            var number = Trimmed(row.Values.GetValueOrDefault("containerNumber"));
            void Finding(string code, string? column, string message) =>
                findings.Add(new DischargeListFinding(code, row.Row, column, message) { ContainerNumber = number });

            if (row.Fault is not null)
            {
                Finding(row.FaultCode, null, row.Fault + ".");
                continue;
            }
            if (number is null)
            {
                Finding(ReconciliationErrorCodes.ContainerMissing, "containerNumber", "no container number; the row cannot be matched.");
                continue;
            }
            var imoText = Trimmed(row.Values.GetValueOrDefault("vesselImo"));
            var imoError = ImoNumber.TryParse(imoText.AsSpan(), out var imo);
            if (imoError != ImoNumberError.None)
            {
                Finding(ReconciliationErrorCodes.VesselImoInvalid, "vesselImo", $"vessel IMO '{imoText}': {ImoNumber.Describe(imoError)}; the row cannot be tied to this call.");
                continue;
            }
            var voyage = Trimmed(row.Values.GetValueOrDefault("voyage"));
            if (voyage is null || VesselCall.NormalizeVoyage(voyage).Length == 0)
            {
                Finding(ReconciliationErrorCodes.VoyageMissing, "voyage", "no voyage; the row cannot be tied to this call.");
                continue;
            }
            var rowCall = new VesselCall(imo, voyage);
            if (rowCall.Key != call.Value.Key)
            {
                Finding(ReconciliationErrorCodes.OtherVesselCall, "vesselImo", $"{number} is listed for {rowCall}, not {call.Value}; not reconciled against this call.");
                continue;
            }

            // From here the row is a discharged container; a bad optional value is reported and left out.
            DateTimeOffset? dischargedAt = null;
            var atText = Trimmed(row.Values.GetValueOrDefault("dischargedAt"));
            if (atText is not null && IsoInstant().IsMatch(atText) && DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                dischargedAt = at;
            }
            else
            {
                Finding(ReconciliationErrorCodes.DischargedAtInvalid, "dischargedAt", atText is null
                    ? "no discharge time."
                    : $"discharge time '{atText}' is not ISO 8601 with an offset (e.g. 2026-11-26T03:02:00Z).");
            }
            string? sizeType = null;
            if (Trimmed(row.Values.GetValueOrDefault("sizeType")) is { } sizeText)
            {
                var error = SizeTypeCode.Validate(sizeText.ToUpperInvariant());
                if (error == SizeTypeCodeError.None)
                {
                    sizeType = sizeText.ToUpperInvariant();
                }
                else
                {
                    Finding(ReconciliationErrorCodes.SizeTypeInvalid, "sizeType", $"size-type '{sizeText}': {SizeTypeCode.Describe(error)}.");
                }
            }
            decimal? grossMass = null;
            if (Trimmed(row.Values.GetValueOrDefault("grossMassKg")) is { } massText)
            {
                if (decimal.TryParse(massText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mass))
                {
                    grossMass = mass;
                }
                else
                {
                    Finding(ReconciliationErrorCodes.GrossMassInvalid, "grossMassKg", $"gross mass '{massText}' is not a number of kilograms (digits and a decimal point).");
                }
            }
            var fullEmpty = FullEmpty.Unknown;
            if (Trimmed(row.Values.GetValueOrDefault("fullEmpty")) is { } fullText)
            {
                fullEmpty = fullText.ToUpperInvariant() switch
                {
                    "F" => FullEmpty.Full,
                    "E" => FullEmpty.Empty,
                    _ => FullEmpty.Unknown,
                };
                if (fullEmpty == FullEmpty.Unknown)
                {
                    Finding(ReconciliationErrorCodes.FullEmptyInvalid, "fullEmpty", $"full/empty '{fullText}' is neither F nor E.");
                }
            }
            var seals = Trimmed(row.Values.GetValueOrDefault("sealNumbers")) is { } sealText
                ? sealText.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [];
            containers.Add(new DischargedContainer
            {
                Row = row.Row,
                ContainerNumber = number,
                DischargedAt = dischargedAt,
                SizeType = sizeType,
                SealNumbers = seals,
                GrossMassKg = grossMass,
                FullEmpty = fullEmpty,
                BillOfLading = Trimmed(row.Values.GetValueOrDefault("billOfLading")),
            });
        }
        return new DischargeListReadResult(new DischargeList { VesselCall = call.Value, Containers = containers, Findings = findings }, []);
    }

    private static VesselCall? FirstVesselCall(List<RawRow> rows)
    {
        foreach (var row in rows)
        {
            if (row.Fault is null
                && ImoNumber.TryParse(Trimmed(row.Values.GetValueOrDefault("vesselImo")), out var imo)
                && Trimmed(row.Values.GetValueOrDefault("voyage")) is { } voyage
                && VesselCall.NormalizeVoyage(voyage).Length > 0)
            {
                return new VesselCall(imo, voyage);
            }
        }
        return null;
    }

    /// <summary>RFC 4180: quoted fields may hold separators, line breaks and doubled quotes; CRLF or LF ends a record.</summary>
    private static DischargeListError? ParseCsv(string text, List<(int Line, List<string> Fields)> records)
    {
        var field = new StringBuilder();
        var fields = new List<string>();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        var quoted = false;
        var fieldStarted = false;
        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            // A line with nothing on it is not a row (editors leave them at the end).
            if (!(fields.Count == 1 && fields[0].Length == 0 && !fieldStarted))
            {
                records.Add((recordLine, fields));
            }
            fields = [];
            fieldStarted = false;
        }
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                    i++;
                    continue;
                }
                if (c == '\n')
                {
                    line++;
                }
                field.Append(c);
                i++;
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                case '\r':
                    EndRecord();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
            i++;
        }
        if (quoted)
        {
            return new DischargeListError(ReconciliationErrorCodes.CsvSyntax, $"A quoted field opened on line {recordLine} is never closed.", recordLine);
        }
        if (field.Length > 0 || fields.Count > 0 || fieldStarted)
        {
            EndRecord();
        }
        return null;
    }

    private static Dictionary<string, string?> Fields(JsonElement element)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (element.ValueKind != JsonValueKind.Object)
        {
            return values;
        }
        foreach (var property in element.EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind == JsonValueKind.Array
                ? string.Join(';', property.Value.EnumerateArray().Select(Scalar).Where(s => s is not null))
                : Scalar(property.Value);
        }
        return values;
    }

    private static bool TryProperty(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Decode(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8 = utf8[3..];
        }
        return Encoding.UTF8.GetString(utf8);
    }

    private static DischargeListReadResult Fail(string code, string message, int line, string? path = null) =>
        new(null, [new DischargeListError(code, message, line, path)]);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoInstant();
}
