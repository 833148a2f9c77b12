using System.Text;
using System.Text.Json;
using CsCheck;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Intake;
using PortCustoms.Core.Reconciliation;

namespace PortCustoms.Core.Tests.Intake;

/// <summary>
/// Random JSON, built from the contracts' field names and from good and bad values: the schema pass never throws, and
/// it never refuses a body the app's own checks accept (a body accepted before the schemas is accepted still).
/// </summary>
public sealed class JsonSchemaPropertyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Names =
    [
        "containerNumber", "direction", "gateTransactionId", "terminal", "requestedAt", "notificationId", "status", "customsReference",
        "issuedAt", "reason", "riskScore", "targetingReason", "officerNotes", "eventId", "type", "occurredAt", "vesselImo", "voyage",
        "location", "sealNumbers", "grossMassKg", "sizeType", "rerun", "resolvedBy", "note", "extra", "",
    ];

    private static readonly Gen<string> Scalar = Gen.OneOf(
        Gen.OneOfConst(
            "null", "true", "false", "0", "-0", "1e308", "-1", "23150", "100001", "0.5", "12345678901234567890", "9811000",
            "\"MSCU1234566\"", "\"CSQU3054383\"", "\"MSCU1234567\"", "\"OUT\"", "\"IN\"", "\"out\"", "\"G-1\"", "\"NLRTM-ECT\"",
            "\"2026-11-26T03:02:00Z\"", "\"2026-11-26T08:15:00+01:00\"", "\"2026-11-26T03:02:00\"", "\"RELEASED\"", "\"HOLD\"",
            "\"DISCHARGED\"", "\"GATED_OUT\"", "\"9811000\"", "\"IMO 9811000\"", "\"NLRTM\"", "\"nlrtm\"", "\"124E\"", "\"45G1\"", "\"\"", "\" \"",
            "\"\\u0007\"", "\"\\ud800\"", "\"CN-1\"", "\"EDI:1\"", "\"officer\""),
        Gen.String[0, 40].Select(s => JsonSerializer.Serialize(s)));

    private static Gen<string> Value(int depth) => depth == 0
        ? Scalar
        : Gen.Frequency((6, Scalar), (1, Object(depth - 1)), (1, Value(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")));

    private static Gen<string> Object(int depth) =>
        Gen.Select(Gen.Frequency((9, Gen.OneOfConst(Names)), (1, Gen.String[0, 12])), Value(depth)).Array[0, 9]
            .Select(pairs => "{" + string.Join(",", pairs.DistinctBy(p => p.Item1).Select(p => JsonSerializer.Serialize(p.Item1) + ":" + p.Item2)) + "}");

    private static readonly Gen<string> Body = Gen.Frequency((8, Object(2)), (2, Object(2).Array[0, 3].Select(items => "[" + string.Join(",", items) + "]")), (1, Value(2)));

    private static void NeverStricter<T>(byte[] body, JsonBodySchema schema, JsonObjectBody.Parse<T> parse)
        where T : class
    {
        var own = JsonObjectBody.Read(body, parse, out _);
        var full = JsonObjectBody.Read(body, schema, parse, out var problem);
        if (own is not null && full is null)
        {
            Assert.Fail($"{schema.FileName} refuses what the app accepts: {Encoding.UTF8.GetString(body)}\n{string.Join("; ", problem!.SchemaErrors.Select(f => $"{f.Code} at {f.Location}: {f.Message}"))}");
        }
    }

    [Fact]
    public void The_schema_pass_never_throws_and_never_refuses_what_the_intakes_accept() =>
        Body.Sample(text =>
        {
            var body = Encoding.UTF8.GetBytes(text);
            NeverStricter(body, JsonBodySchema.GateQuery, (JsonElement json, out FieldErrors errors) => GateQueryIntake.Parse(json, "t", Now, _ => true, out errors));
            NeverStricter(body, JsonBodySchema.CustomsNotification, (JsonElement json, out FieldErrors errors) => CustomsNotificationIntake.Parse(json, Now, TimeSpan.FromMinutes(5), _ => true, out errors));
            NeverStricter(body, JsonBodySchema.ReconciliationStart, ReconciliationRequests.ParseStart);
            NeverStricter(body, JsonBodySchema.DiscrepancyResolution, (JsonElement json, out FieldErrors errors) => ReconciliationRequests.ParseResolution(json, "1", out errors));
            var own = ContainerStatusEventReader.ReadBatch(body, Now, schemaPass: false);
            var full = ContainerStatusEventReader.ReadBatch(body, Now);
            Assert.True(!own.IsValid || full.IsValid, $"container-status-event.schema.json refuses what the app accepts: {text}");
            if (JsonInputGuard.Check(body) is null)
            {
                try
                {
                    using var document = JsonDocument.Parse(body);
                    foreach (var name in JsonBodySchema.FileNames)
                    {
                        JsonBodySchema.Get(name).Validate(document.RootElement, out var total);
                        Assert.True(total >= 0);
                    }
                }
                catch (JsonException)
                {
                    // Not JSON: the intakes answer that before any schema is asked.
                }
            }
        }, iter: 3000);
}
