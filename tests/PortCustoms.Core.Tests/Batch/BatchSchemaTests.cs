using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Intake;
using PortCustoms.Core.Tests.Batch.Fixtures;
using PortCustoms.Core.Tests.Fixtures;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Tests.Batch;

/// <summary>The terminal's JSON files checked against their JSON Schemas item by item as they stream.</summary>
public sealed class BatchSchemaTests
{
    private static BatchFilePipeline Pipeline(RecordingEventPublisher publisher, BatchOptions? options = null) => new(
        Options.Create(options ?? new BatchOptions()),
        new EdifactTranslator(),
        publisher,
        new CustomsNotificationService(new InMemoryCustomsStateStore(), new GateMetrics(new TestMeterFactory()), NullLogger<CustomsNotificationService>.Instance),
        new RecordingDocumentStore(),
        new RecordingCompletion());

    private static string Event(long n, string extra = "") =>
        $"{{ \"eventId\": \"E-{n}\", \"containerNumber\": \"MSCU1234566\", \"type\": \"DISCHARGED\", \"occurredAt\": \"2026-11-26T03:02:00Z\"{extra} }}";

    [Fact]
    public async Task An_event_the_schema_refuses_is_named_with_its_code_item_field_and_line_and_the_file_is_quarantined()
    {
        var json = "[\n  " + Event(1) + ",\n  " + Event(2) + ",\n  {\n    \"eventId\": \"E-3\",\n    \"containerNumber\": \"MSCU1234566\",\n    \"type\": \"DISCHARGED\",\n"
            + "    \"occurredAt\": \"2026-11-26T03:02:00Z\",\n    \"grossMassKg\": -5,\n    \"sealNumbers\": [\"ok\", 7]\n  }\n]\n";
        var publisher = new RecordingEventPublisher();

        var analysis = await Pipeline(publisher).AnalyzeAsync(new BatchFile("b", "events.json", json.Length), new MemoryStream(Encoding.UTF8.GetBytes(json)));

        Assert.True(analysis.Quarantine);
        var minimum = Assert.Single(analysis.Findings.Kept, f => f.Code == "JSON-SCHEMA-MINIMUM");
        Assert.True(minimum.IsError);
        Assert.Equal(new BatchPosition(9, 0, 0, 0, 3, "grossMassKg"), minimum.Position);
        Assert.Contains("/grossMassKg", minimum.Message, StringComparison.Ordinal);
        var type = Assert.Single(analysis.Findings.Kept, f => f.Code == "JSON-SCHEMA-TYPE");
        Assert.Equal(new BatchPosition(10, 0, 0, 0, 3, "sealNumbers[1]"), type.Position);
        // The events' own checks still run after the schema pass.
        Assert.Contains(analysis.Findings.Kept, f => f.Code == BatchErrorCodes.EventInvalid && f.Position.Item == 3);
        Assert.Empty(publisher.Sent);
    }

    [Fact]
    public async Task A_valid_events_file_has_no_schema_finding_and_is_applied()
    {
        var json = "[" + Event(1, ", \"laneId\": 4, \"sealNumbers\": null") + ",\n" + Event(2, ", \"vesselImo\": \"IMO 9811000\", \"location\": \"NLRTM\"") + "]";
        var publisher = new RecordingEventPublisher();
        var pipeline = Pipeline(publisher);

        var analysis = await pipeline.AnalyzeAsync(new BatchFile("b", "ok.json", json.Length), new MemoryStream(Encoding.UTF8.GetBytes(json)));
        var routing = await pipeline.ApplyAsync(analysis, new MemoryStream(Encoding.UTF8.GetBytes(json)));

        Assert.False(analysis.Quarantine);
        Assert.DoesNotContain(analysis.Findings.Kept, f => f.Code.StartsWith(JsonSchemaFinding.CodePrefix, StringComparison.Ordinal));
        Assert.Equal(2, routing.StatusEvents);
    }

    [Fact]
    public async Task A_large_generated_events_file_is_checked_as_it_streams_with_bounded_findings_exact_counts_and_each_line()
    {
        const long events = 40_000;
        // One event a line; every event has a mass the schema refuses; the file is produced as it is read, never held.
        var file = new GeneratedStream("[\n"u8.ToArray(), n => Encoding.UTF8.GetBytes(Event(n + 1, ", \"grossMassKg\": 100001") + ",\n"), events,
            Encoding.UTF8.GetBytes(Event(events + 1) + "\n]\n"));

        var analysis = await Pipeline(new RecordingEventPublisher()).AnalyzeAsync(new BatchFile("b", "big.json", 0), file);

        Assert.Equal(events + 1, analysis.Items);
        Assert.Equal(events, Assert.Single(analysis.Findings.Counts, c => c.Code == "JSON-SCHEMA-MAXIMUM").Count);
        var kept = analysis.Findings.Kept.Where(f => f.Code == "JSON-SCHEMA-MAXIMUM").ToList();
        Assert.Equal(100, kept.Count);
        Assert.All(kept, f => Assert.Equal(f.Position.Item + 1, f.Position.Line));
        Assert.True(analysis.Quarantine);
    }

    [Theory]
    [InlineData(EdifactValidationMode.Strict, true)]
    [InlineData(EdifactValidationMode.Lenient, false)]
    public async Task A_discharge_list_container_the_schema_refuses_is_an_error_for_a_strict_broker_and_a_warning_for_a_lenient_one(EdifactValidationMode envelope, bool error)
    {
        var json = """
            { "vesselImo": "9811000", "voyage": "124E", "containers": [
              { "containerNumber": "MSCU1234566", "dischargedAt": "2026-11-26T03:02:00Z", "grossMassKg": "23150" },
              { "containerNumber": "MSCU1234566", "dischargedAt": "2026-11-26T03:02:00Z", "fullEmpty": { "code": "F" } } ] }
            """;
        var options = new BatchOptions { Default = new BatchBrokerOptions { Envelope = envelope } };

        var analysis = await Pipeline(new RecordingEventPublisher(), options).AnalyzeAsync(new BatchFile("b", "list.json", json.Length), new MemoryStream(Encoding.UTF8.GetBytes(json)));

        var finding = Assert.Single(analysis.Findings.Kept, f => f.Code.StartsWith(JsonSchemaFinding.CodePrefix, StringComparison.Ordinal));
        Assert.Equal("JSON-SCHEMA-TYPE", finding.Code);
        Assert.Equal(error, finding.IsError);
        Assert.Equal(new BatchPosition(3, 0, 0, 0, 2, "fullEmpty"), finding.Position);
    }

    [Fact]
    public async Task JsonItemReader_names_the_line_and_column_where_each_item_starts()
    {
        var json = "[\n{\"a\":1},  {\"a\":2},\n\n   {\"a\":\n3}]";
        var seen = new List<JsonItemPosition>();

        await JsonItemReader.ReadPositionedAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), dischargeList: false, (_, at) =>
        {
            seen.Add(at);
            return ValueTask.CompletedTask;
        }, null);

        Assert.Equal([new JsonItemPosition(1, 2, 1), new JsonItemPosition(2, 2, 11), new JsonItemPosition(3, 4, 4)], seen);
    }

    [Theory]
    [InlineData("", 1, 1)]
    [InlineData("/b", 2, 8)]
    [InlineData("/b/1", 3, 3)]
    [InlineData("/b/1/c", 3, 10)]
    [InlineData("/missing", 1, 1)]
    [InlineData("/b/1/missing", 3, 3)]
    public void JsonLocation_places_a_pointer_on_its_line_and_column(string location, long line, long column)
    {
        var json = "{ \"a\": 1,\n  \"b\": [ 1,\n  { \"c\": true } ] }"u8;

        Assert.Equal((line, column), JsonLocation.Of(json, location));
    }
}
