using System.Text.Json;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Operations;

/// <summary>A row or file that cannot be compared: a stable code, where (line, column), and what is wrong.</summary>
public sealed record ChannelRecordError(string Code, long Line, string? Column, string Message);

/// <summary>
/// Reads a parallel-running export (contracts/cli.md, <c>compare</c>): CSV (RFC 4180, header row, columns
/// <c>containerNumber</c>, <c>outcome</c>, <c>at</c>, optional <c>reference</c>, any order, names case-insensitive) or
/// JSON (an array of objects with the same names), the format told by the first character. Every bad row is reported
/// with its line; none is dropped silently.
/// </summary>
public static class ChannelRecordReader
{
    public const string CodeUnreadable = "CMP-FILE-UNREADABLE";
    public const string CodeMissingColumn = "CMP-COLUMN-MISSING";
    public const string CodeMissingField = "CMP-FIELD-MISSING";
    public const string CodeInvalidTime = "CMP-TIME-INVALID";

    private static readonly string[] Required = ["containerNumber", "outcome", "at"];

    /// <param name="stream">A seekable stream (a file; standard input copied to memory): its first character is peeked.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public static async Task<(IReadOnlyList<ChannelRecord> Records, IReadOnlyList<ChannelRecordError> Errors)> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The export must be a seekable stream.", nameof(stream));
        }
        var start = stream.Position;
        var first = -1;
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) == 1)
        {
            // Skip white space and a UTF-8 byte-order mark.
            if (buffer[0] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF))
            {
                first = buffer[0];
                break;
            }
        }
        stream.Position = start;
        return first == '['
            ? await ReadJsonAsync(stream, cancellationToken).ConfigureAwait(false)
            : await ReadCsvAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(IReadOnlyList<ChannelRecord>, IReadOnlyList<ChannelRecordError>)> ReadCsvAsync(Stream stream, CancellationToken cancellationToken)
    {
        var records = new List<ChannelRecord>();
        var errors = new List<ChannelRecordError>();
        using var csv = new CsvRecordReader(stream, leaveOpen: true);
        try
        {
            var header = await csv.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (header is null)
            {
                errors.Add(new ChannelRecordError(CodeUnreadable, 1, null, "The file is empty: a header row is required."));
                return (records, errors);
            }
            var columns = header.Fields.Select((name, index) => (name: name.Trim(), index))
                .GroupBy(c => c.name, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().index, StringComparer.OrdinalIgnoreCase);
            var missing = Required.Where(r => !columns.ContainsKey(r)).ToList();
            if (missing.Count > 0)
            {
                errors.Add(new ChannelRecordError(CodeMissingColumn, header.Line, string.Join(", ", missing), $"The header lacks {string.Join(", ", missing)}."));
                return (records, errors);
            }
            while (await csv.ReadAsync(cancellationToken).ConfigureAwait(false) is { } row)
            {
                if (row.Fields.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }
                string? Field(string name) =>
                    columns.TryGetValue(name, out var i) && i < row.Fields.Count && !string.IsNullOrWhiteSpace(row.Fields[i]) ? row.Fields[i].Trim() : null;
                Add(records, errors, row.Line, Field("containerNumber"), Field("outcome"), Field("at"), Field("reference"));
            }
        }
        catch (CsvFormatException ex)
        {
            errors.Add(new ChannelRecordError(CodeUnreadable, ex.Line, null, $"{ex.Code}: {ex.Message}"));
        }
        catch (System.Text.DecoderFallbackException)
        {
            errors.Add(new ChannelRecordError(CodeUnreadable, 0, null, "The file is not UTF-8."));
        }
        return (records, errors);
    }

    private static async Task<(IReadOnlyList<ChannelRecord>, IReadOnlyList<ChannelRecordError>)> ReadJsonAsync(Stream stream, CancellationToken cancellationToken)
    {
        var records = new List<ChannelRecord>();
        var errors = new List<ChannelRecordError>();
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, new JsonDocumentOptions { AllowTrailingCommas = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            errors.Add(new ChannelRecordError(CodeUnreadable, (ex.LineNumber ?? 0) + 1, null, $"Not valid JSON: {ex.Message}"));
            return (records, errors);
        }
        using (document)
        {
            var index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                index++;
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new ChannelRecordError(CodeUnreadable, index, null, $"Item {index} is not an object."));
                    continue;
                }
                string? Field(string name) =>
                    item.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.String } p
                        && !string.IsNullOrWhiteSpace(p.Value.GetString()) ? p.Value.GetString()!.Trim() : null;
                // JSON has no lines worth naming per item: the item's 1-based index stands in for the line.
                Add(records, errors, index, Field("containerNumber"), Field("outcome"), Field("at"), Field("reference"));
            }
        }
        return (records, errors);
    }

    private static void Add(List<ChannelRecord> records, List<ChannelRecordError> errors, long line, string? container, string? outcome, string? at, string? reference)
    {
        var missing = new[] { ("containerNumber", container), ("outcome", outcome), ("at", at) }.Where(f => f.Item2 is null).Select(f => f.Item1).ToList();
        if (missing.Count > 0)
        {
            errors.Add(new ChannelRecordError(CodeMissingField, line, string.Join(", ", missing), $"No {string.Join(", ", missing)}."));
            return;
        }
        // A time without an offset cannot be put beside the other channel's: refuse it rather than guess a zone.
        if (!IsoInstant.TryParse(at, out var when))
        {
            errors.Add(new ChannelRecordError(CodeInvalidTime, line, "at", $"'{at}' is not an ISO 8601 time with an offset."));
            return;
        }
        records.Add(new ChannelRecord(container!, outcome!, when, reference, line));
    }
}
