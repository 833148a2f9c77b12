using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using PortCustoms.Core.Manifests;

namespace PortCustoms.Core.Reconciliation;

/// <summary>
/// The report's two published forms: JSON (the whole report, readable back) and CSV (RFC 4180, one line per
/// discrepancy, for the planners' spreadsheet).
/// </summary>
public static class ReconciliationReportWriter
{
    /// <summary>camelCase, enums as camelCase names, nulls left out. Also used for chunks passed between activities.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = false,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly();
        return options;
    }

    public static byte[] ToJson(ReconciliationReport report) => JsonSerializer.SerializeToUtf8Bytes(report, JsonOptions);

    public static ReconciliationReport FromJson(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<ReconciliationReport>(utf8, JsonOptions) ?? throw new JsonException("The report is null.");

    public static readonly IReadOnlyList<string> CsvColumns =
    [
        "number", "code", "critical", "containerNumber", "description",
        "manifestSource", "billOfLading", "manifestSizeType", "manifestSeals", "manifestGrossMassKg", "manifestFullEmpty",
        "dischargeRows", "dischargedAt", "dischargeSizeType", "dischargeSeals", "dischargeGrossMassKg", "dischargeFullEmpty",
        "findingCode", "resolvedBy", "resolvedAt", "resolutionNote",
    ];

    public static string ToCsv(ReconciliationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new StringBuilder();
        csv.AppendJoin(',', CsvColumns).Append("\r\n");
        foreach (var d in report.Discrepancies)
        {
            var m = d.Manifest.Count > 0 ? d.Manifest[0] : null;
            var r = d.Discharge.Count > 0 ? d.Discharge[0] : null;
            string?[] cells =
            [
                d.Number.ToString(CultureInfo.InvariantCulture), d.Code, d.Critical ? "true" : "false", d.ContainerNumber, d.Description,
                string.Join("; ", d.Manifest.Select(e => e.Source).Distinct()), m?.BillOfLading, m?.SizeType, Seals(m?.SealNumbers), Mass(m?.GrossMassKg), Flag(m?.FullEmpty),
                string.Join(";", d.Discharge.Select(e => e.Row.ToString(CultureInfo.InvariantCulture))), r?.DischargedAt?.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
                r?.SizeType, Seals(r?.SealNumbers), Mass(r?.GrossMassKg), Flag(r?.FullEmpty),
                d.FindingCode, d.Resolution?.ResolvedBy, d.Resolution?.ResolvedAt.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture), d.Resolution?.Note,
            ];
            for (var i = 0; i < cells.Length; i++)
            {
                if (i > 0)
                {
                    csv.Append(',');
                }
                Cell(csv, cells[i]);
            }
            csv.Append("\r\n");
        }
        return csv.ToString();
    }

    private static string? Seals(IReadOnlyList<string>? seals) => seals is { Count: > 0 } ? string.Join(";", seals) : null;

    private static string? Mass(decimal? mass) => mass?.ToString(CultureInfo.InvariantCulture);

    private static string? Flag(FullEmpty? value) => value switch
    {
        FullEmpty.Full => "F",
        FullEmpty.Empty => "E",
        _ => null,
    };

    private static void Cell(StringBuilder csv, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        // A cell a spreadsheet would run as a formula (=, +, @) is prefixed with a quote: the data comes from outside.
        if (value[0] is '=' or '+' or '@')
        {
            value = "'" + value;
        }
        if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            csv.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            csv.Append(value);
        }
    }
}
