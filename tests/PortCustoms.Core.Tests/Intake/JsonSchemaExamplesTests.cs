using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Intake;
using PortCustoms.Core.Reconciliation;
using PortCustoms.Core.Tests.Batch.Fixtures;
using PortCustoms.Core.Tests.Fixtures;
using PortCustoms.Core.Translation;

namespace PortCustoms.Core.Tests.Intake;

/// <summary>
/// The examples in schemas/json/examples/{schema}/ (valid-*.json, invalid-*.json) hold schema and app in step: a valid
/// one passes its schema and the app's own checks (without the schema pass: the schema is never stricter than the
/// app, so nothing accepted before the schemas is refused now); an invalid one is refused by its schema, by the app's
/// own checks, and by the app with the schema pass, whose refusal carries the positioned schema findings.
/// </summary>
public sealed class JsonSchemaExamplesTests
{
    private static readonly string ExamplesRoot = Path.Combine(AppContext.BaseDirectory, "JsonSchemaExamples");

    private static readonly DateTimeOffset Now = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in Directory.GetDirectories(ExamplesRoot).Order(StringComparer.Ordinal))
        {
            foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(folder), Path.GetFileName(file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task An_example_is_judged_alike_by_its_schema_and_the_app(string schema, string example)
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(ExamplesRoot, schema, example));
        var valid = example.StartsWith("valid-", StringComparison.Ordinal);
        Assert.True(valid || example.StartsWith("invalid-", StringComparison.Ordinal), $"{example}: name it valid-* or invalid-*.");

        using var document = JsonDocument.Parse(bytes);
        var findings = JsonBodySchema.Get(schema + ".schema.json").Validate(document.RootElement);
        Assert.True(valid == (findings.Count == 0), $"{schema}/{example}: the schema says {string.Join("; ", findings.Select(f => $"{f.Code} at {f.Location}: {f.Message}"))}");
        Assert.All(findings, f => Assert.StartsWith(JsonSchemaFinding.CodePrefix, f.Code, StringComparison.Ordinal));

        var (ownChecks, withSchema) = await JudgeAsync(schema, bytes);
        Assert.True(valid == ownChecks, $"{schema}/{example}: the app's own checks {(ownChecks ? "accept" : "refuse")} it.");
        Assert.True(valid == withSchema, $"{schema}/{example}: the app with its schema pass {(withSchema ? "accepts" : "refuses")} it.");
    }

    /// <summary>Whether the app accepts the body: by its own checks alone, and with the schema pass before them.</summary>
    private static async Task<(bool OwnChecks, bool WithSchema)> JudgeAsync(string schema, byte[] bytes)
    {
        switch (schema)
        {
            case "gate-query":
                return Object(bytes, JsonBodySchema.GateQuery, (JsonElement json, out FieldErrors errors) => GateQueryIntake.Parse(json, "terminal", Now, _ => true, out errors));
            case "customs-notification":
                return Object(bytes, JsonBodySchema.CustomsNotification, (JsonElement json, out FieldErrors errors) => CustomsNotificationIntake.Parse(json, Now, TimeSpan.FromMinutes(5), _ => true, out errors));
            case "reconciliation-start":
                return Object(bytes, JsonBodySchema.ReconciliationStart, ReconciliationRequests.ParseStart);
            case "discrepancy-resolution":
                return Object(bytes, JsonBodySchema.DiscrepancyResolution, (JsonElement json, out FieldErrors errors) => ReconciliationRequests.ParseResolution(json, "1", out errors));
            case "container-status-events":
                var own = ContainerStatusEventReader.ReadBatch(bytes, Now, schemaPass: false);
                var full = ContainerStatusEventReader.ReadBatch(bytes, Now);
                Assert.True(full.IsValid || full.Malformed is not null || full.SchemaErrors.Count > 0, "A refused array of events carries its schema findings.");
                return (own.IsValid, full.IsValid);
            case "terminal-events-file" or "terminal-discharge-list":
                var analysis = await Pipeline().AnalyzeAsync(new BatchFile("b", schema + ".json", bytes.Length), new MemoryStream(bytes));
                var errors = analysis.Findings.Kept.Where(f => f.IsError).ToList();
                var schemaFindings = errors.Where(f => f.Code.StartsWith(JsonSchemaFinding.CodePrefix, StringComparison.Ordinal)).ToList();
                Assert.All(schemaFindings, f => Assert.True(f.Position.Line > 0 && f.Position.Item > 0, "A schema finding in a file names its line and item."));
                return (errors.Count == schemaFindings.Count, !analysis.Quarantine && schemaFindings.Count == 0);
            default:
                throw new InvalidOperationException($"No intake is known for the examples of {schema}: add it here.");
        }
    }

    private static (bool, bool) Object<T>(byte[] bytes, JsonBodySchema schema, JsonObjectBody.Parse<T> parse)
        where T : class
    {
        var own = JsonObjectBody.Read(bytes, parse, out _);
        var full = JsonObjectBody.Read(bytes, schema, parse, out var problem);
        if (full is null)
        {
            Assert.NotEmpty(problem!.Errors);
            Assert.True(problem.SchemaErrorCount >= problem.SchemaErrors.Count);
        }
        return (own is not null, full is not null);
    }

    private static BatchFilePipeline Pipeline() => new(
        Options.Create(new BatchOptions()),
        new EdifactTranslator(),
        new RecordingEventPublisher(),
        new CustomsNotificationService(new InMemoryCustomsStateStore(), new GateMetrics(new TestMeterFactory()), NullLogger<CustomsNotificationService>.Instance),
        new RecordingDocumentStore(),
        new RecordingCompletion())
    {
        EventsNotAfter = () => Now,
    };

    [Fact]
    public void A_refused_gate_query_names_each_field_once_with_the_schema_findings_positioned()
    {
        var body = """{ "containerNumber": 7, "direction": "SIDEWAYS", "gateTransactionId": "G-1" }"""u8.ToArray();

        var query = JsonObjectBody.Read(body, JsonBodySchema.GateQuery, (JsonElement json, out FieldErrors errors) => GateQueryIntake.Parse(json, "t", Now, _ => true, out errors), out var problem);

        Assert.Null(query);
        Assert.Equal(["containerNumber", "direction", "terminal"], problem!.Errors.Keys.Order(StringComparer.Ordinal));
        // The intake's own messages stay; the schema adds its findings beside them.
        Assert.Equal(["containerNumber must be a string."], problem.Errors["containerNumber"]);
        Assert.Equal(
            [("/containerNumber", "type", "JSON-SCHEMA-TYPE"), ("/direction", "enum", "JSON-SCHEMA-ENUM"), ("/terminal", "required", "JSON-SCHEMA-REQUIRED")],
            problem.SchemaErrors.Select(f => (f.Location, f.Keyword, f.Code)).Order());
        Assert.Equal(3, problem.SchemaErrorCount);
    }
}
