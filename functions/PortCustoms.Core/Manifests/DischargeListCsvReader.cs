using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Model;
using PortCustoms.Core.Time;

namespace PortCustoms.Core.Manifests;

/// <summary>One row of a discharge list with the vessel call it names (null when its IMO or voyage is unusable).</summary>
public sealed record DischargeListEntry(VesselCall? VesselCall, DischargedContainer Container);

/// <summary>
/// Reads the terminal's discharge-list export (contracts/files.md): RFC 4180 CSV, header row required, columns in any
/// order and case. Rows stream one at a time with every finding positioned (line, row, column); the same row checks
/// serve the terminal JSON form (<see cref="ReadRow"/>).
/// </summary>
public static partial class DischargeListCsvReader
{
    public const string ContainerNumberColumn = "containerNumber";
    public const string VesselImoColumn = "vesselImo";
    public const string VoyageColumn = "voyage";
    public const string DischargedAtColumn = "dischargedAt";
    public const string SizeTypeColumn = "sizeType";
    public const string SealNumbersColumn = "sealNumbers";
    public const string GrossMassColumn = "grossMassKg";
    public const string FullEmptyColumn = "fullEmpty";
    public const string BillOfLadingColumn = "billOfLading";

    public static IReadOnlyList<string> RequiredColumns { get; } = [ContainerNumberColumn, VesselImoColumn, VoyageColumn, DischargedAtColumn];

    public static IReadOnlyList<string> KnownColumns { get; } =
        [.. RequiredColumns, SizeTypeColumn, SealNumbersColumn, GrossMassColumn, FullEmptyColumn, BillOfLadingColumn];

    /// <summary>
    /// Every row of the file, in order. Header problems (a required column missing, a column twice) and a malformed
    /// file are reported and end the rows; row problems are reported and the row is still yielded (as received).
    /// </summary>
    /// <param name="stream">The CSV.</param>
    /// <param name="report">Receives each finding.</param>
    /// <param name="strictRows">True: a row that fails its checks is an error; false: a warning (lenient brokers).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <param name="clock">
    /// The sender's zone for a <c>dischargedAt</c> without an offset (read there, counted on the clock for one finding
    /// per file); null: such a time is refused.
    /// </param>
    public static async IAsyncEnumerable<DischargeListEntry> ReadAsync(Stream stream, Action<BatchFinding> report, bool strictRows = true, SenderClock? clock = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(report);
        using var reader = new CsvRecordReader(stream, leaveOpen: true);
        CsvRecord? header;
        try
        {
            header = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CsvFormatException ex)
        {
            report(BatchFinding.Error(ex.Code, ex.Message, new BatchPosition(ex.Line, 0, 0, 0)));
            yield break;
        }
        if (header is null)
        {
            report(BatchFinding.Error(BatchErrorCodes.Empty, "The file holds no header row."));
            yield break;
        }
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var headerOk = true;
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i].Trim();
            if (!columns.TryAdd(name, i))
            {
                report(BatchFinding.Error(BatchErrorCodes.CsvColumnDuplicate, $"Column '{name}' appears twice in the header.", new BatchPosition(header.Line, 0, i + 1, 0, 0, name)));
                headerOk = false;
            }
        }
        foreach (var required in RequiredColumns.Where(r => !columns.ContainsKey(r)))
        {
            report(BatchFinding.Error(BatchErrorCodes.CsvColumnMissing, $"The header has no '{required}' column (required: {string.Join(", ", RequiredColumns)}).", new BatchPosition(header.Line, 0, 0, 0, 0, required)));
            headerOk = false;
        }
        if (!headerOk)
        {
            yield break;
        }

        long row = 0;
        while (true)
        {
            CsvRecord? record;
            try
            {
                record = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (CsvFormatException ex)
            {
                report(BatchFinding.Error(ex.Code, ex.Message, new BatchPosition(ex.Line, 0, 0, 0, row + 1)));
                yield break;
            }
            if (record is null)
            {
                yield break;
            }
            if (record.Fields.Count == 1 && record.Fields[0].Length == 0)
            {
                continue; // A blank line.
            }
            row++;
            if (record.Fields.Count != header.Fields.Count)
            {
                report(BatchFinding.Error(BatchErrorCodes.CsvFieldCount, $"The row has {record.Fields.Count} fields, the header {header.Fields.Count}.", new BatchPosition(record.Line, 0, 0, 0, row)));
            }
            var line = record.Line;
            var fields = record.Fields;
            yield return ReadRow(
                name => columns.TryGetValue(name, out var i) && i < fields.Count ? fields[i].Trim() : null,
                name => columns.TryGetValue(name, out var i) ? i + 1 : 0,
                row,
                line,
                report,
                strictRows,
                clock);
        }
    }

    /// <summary>Checks one row given as column name -> value (null when absent); shared by CSV and terminal JSON.</summary>
    public static DischargeListEntry ReadRow(Func<string, string?> value, Func<string, int> column, long row, long line, Action<BatchFinding> report, bool strictRows = true, SenderClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(report);
        void Finding(string code, string name, string message) =>
            report(new BatchFinding(code, strictRows, message, new BatchPosition(line, 0, column(name), 0, row, name)));

        var valid = true;
        foreach (var required in RequiredColumns)
        {
            if (string.IsNullOrEmpty(value(required)))
            {
                Finding(BatchErrorCodes.CsvValueMissing, required, $"Row {row} has no {required}.");
                valid = false;
            }
        }
        var containerText = value(ContainerNumberColumn) ?? string.Empty;
        if (containerText.Length > 0 && ContainerNumber.Validate(containerText) is var containerError && containerError != ContainerNumberError.None)
        {
            Finding(BatchErrorCodes.ContainerNumber, ContainerNumberColumn, $"'{containerText}' is not a container number: {ContainerNumber.Describe(containerError)}.");
        }
        var imoText = value(VesselImoColumn) ?? string.Empty;
        var imo = default(ImoNumber);
        if (imoText.Length > 0 && ImoNumber.TryParse(imoText.AsSpan(), out imo) != ImoNumberError.None)
        {
            Finding(BatchErrorCodes.VesselImo, VesselImoColumn, $"'{imoText}' is not an IMO number (7 digits, check digit verified).");
            valid = false;
        }
        var voyage = value(VoyageColumn) ?? string.Empty;
        if (voyage.Length > 0 && VesselCall.NormalizeVoyage(voyage).Length == 0)
        {
            Finding(BatchErrorCodes.CsvValueMissing, VoyageColumn, $"'{voyage}' is not a voyage number.");
            valid = false;
        }
        DateTimeOffset? dischargedAt = null;
        var dischargedText = value(DischargedAtColumn) ?? string.Empty;
        if (dischargedText.Length > 0)
        {
            if (IsoWithOffset().IsMatch(dischargedText)
                && DateTimeOffset.TryParse(dischargedText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                dischargedAt = at;
            }
            else if (clock is not null && IsoLocal().IsMatch(dischargedText)
                && DateTime.TryParse(dischargedText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
                && clock.Read(local) is { } inZone)
            {
                // No offset: the sender's configured zone (PartnerTimeZones), by the documented gap/overlap rule.
                dischargedAt = inZone;
            }
            else
            {
                var expected = clock is null ? "an ISO 8601 time with an offset (e.g. 2026-11-26T03:02:00Z)" : "an ISO 8601 time (e.g. 2026-11-26T03:02:00Z, or 2026-11-26T04:02:00 in the sender's zone)";
                Finding(BatchErrorCodes.DateTime, DischargedAtColumn, $"'{dischargedText}' is not {expected}.");
            }
        }
        var sizeType = NullIfEmpty(value(SizeTypeColumn));
        if (sizeType is not null && SizeTypeCode.Validate(sizeType) is var sizeError && sizeError != SizeTypeCodeError.None)
        {
            Finding(BatchErrorCodes.SizeType, SizeTypeColumn, $"'{sizeType}' is not a size-type code: {SizeTypeCode.Describe(sizeError)}.");
        }
        decimal? grossMass = null;
        if (NullIfEmpty(value(GrossMassColumn)) is { } massText)
        {
            if (decimal.TryParse(massText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mass))
            {
                grossMass = mass;
            }
            else
            {
                Finding(BatchErrorCodes.Number, GrossMassColumn, $"'{massText}' is not a mass in kg (digits, '.' for decimals).");
            }
        }
        var fullEmpty = FullEmpty.Unknown;
        if (NullIfEmpty(value(FullEmptyColumn)) is { } fe)
        {
            fullEmpty = fe.ToUpperInvariant() switch
            {
                "F" => FullEmpty.Full,
                "E" => FullEmpty.Empty,
                _ => FullEmpty.Unknown,
            };
            if (fullEmpty == FullEmpty.Unknown)
            {
                Finding(BatchErrorCodes.FullEmpty, FullEmptyColumn, $"'{fe}' is neither F (full) nor E (empty).");
            }
        }
        var seals = NullIfEmpty(value(SealNumbersColumn)) is { } sealText
            ? sealText.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        var container = new DischargedContainer
        {
            Row = (int)Math.Min(row, int.MaxValue),
            ContainerNumber = containerText,
            DischargedAt = dischargedAt,
            SizeType = sizeType,
            SealNumbers = seals,
            GrossMassKg = grossMass,
            FullEmpty = fullEmpty,
            BillOfLading = NullIfEmpty(value(BillOfLadingColumn)),
        };
        return new DischargeListEntry(valid ? new VesselCall(imo, voyage) : null, container);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoWithOffset();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoLocal();
}
