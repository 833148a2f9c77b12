using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Tests.Batch.Fixtures;
using PortCustoms.Core.Tests.Fixtures;
using PortCustoms.Core.Translation;
using PortCustoms.Core.Versions;

namespace PortCustoms.Core.Tests.Versions;

/// <summary>
/// Issue 15 point 6 for the terminal's JSON: an optional <c>schemaVersion</c> on each status event (HTTP body and batch
/// file). Absent: exactly as before. Declared: a version PortCustoms reads, accepted by the configured transition now;
/// else refused with a stable code, positioned on the event's <c>schemaVersion</c>.
/// </summary>
public sealed class JsonSchemaVersionTests
{
    private static readonly DateTimeOffset Now = new(2027, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Event(string? schemaVersion, string id = "E-1") =>
        "{ " + (schemaVersion is null ? string.Empty : $"\"schemaVersion\": \"{schemaVersion}\", ") +
        $"\"eventId\": \"{id}\", \"containerNumber\": \"MSCU1234566\", \"type\": \"GATED_IN\", \"occurredAt\": \"2027-01-15T08:00:00Z\" }}";

    /// <summary>container-status-event moves from 1 to 2 between <paramref name="from"/> and <paramref name="to"/>.</summary>
    private static MessageVersionPolicy Transition(DateTimeOffset from, DateTimeOffset to, string schema = JsonSchemaVersions.ContainerStatusEvent)
    {
        var options = new MessageVersionOptions();
        options.Types[schema] = new MessageVersionTransition { Old = "1", New = "2", From = from, To = to };
        return new MessageVersionPolicy(Options.Create(options), new FakeTimeProvider(Now));
    }

    private static ContainerEventBatch Read(string body, MessageVersionPolicy? versions) =>
        ContainerStatusEventReader.ReadBatch(Encoding.UTF8.GetBytes(body), Now, null, versions);

    [Fact]
    public void An_event_without_a_version_is_read_as_before_whatever_the_transition_says()
    {
        var over = Transition(Now.AddDays(-60), Now.AddDays(-1));

        var withPolicy = Read(Event(null), over);
        var without = ContainerStatusEventReader.ReadBatch(Encoding.UTF8.GetBytes(Event(null)), Now);

        Assert.True(withPolicy.IsValid);
        Assert.Equal(ContainerStatusEventWriter.ToUtf8Bytes(without.Events[0]), ContainerStatusEventWriter.ToUtf8Bytes(Assert.Single(withPolicy.Events)));
    }

    [Fact]
    public void The_current_version_declared_is_accepted_and_changes_nothing()
    {
        var declared = Read(Event("container-status-event:1"), null);
        var absent = Read(Event(null), null);

        Assert.True(declared.IsValid);
        Assert.Equal(ContainerStatusEventWriter.ToUtf8Bytes(absent.Events[0]), ContainerStatusEventWriter.ToUtf8Bytes(Assert.Single(declared.Events)));
    }

    [Theory]
    [InlineData("container-status-event:7")]
    [InlineData("status-event:1")]
    [InlineData("1")]
    public void An_unknown_version_is_refused_on_its_field_with_a_stable_code(string version)
    {
        var batch = Read("[" + Event(null, "E-0") + "," + Event(version, "E-1") + "]", null);

        Assert.False(batch.IsValid);
        var failure = Assert.Single(batch.Failures);
        Assert.Equal((1, "E-1"), (failure.Index, failure.EventId));
        var error = Assert.Single(failure.Errors, e => e.Field == JsonSchemaVersions.Property);
        Assert.StartsWith(JsonSchemaVersions.UnknownCode + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_that_is_not_a_string_is_refused()
    {
        var batch = Read(Event(null).Replace("{ ", "{ \"schemaVersion\": 1, ", StringComparison.Ordinal), null);

        Assert.StartsWith(JsonSchemaVersions.UnknownCode, Assert.Single(Assert.Single(batch.Failures).Errors, e => e.Field == JsonSchemaVersions.Property).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_old_version_is_accepted_during_its_transition_and_refused_after_it()
    {
        var during = Read(Event("container-status-event:1"), Transition(Now.AddDays(-1), Now.AddDays(30)));
        var after = Read(Event("container-status-event:1"), Transition(Now.AddDays(-60), Now.AddDays(-1)));

        Assert.True(during.IsValid);
        var error = Assert.Single(Assert.Single(after.Failures).Errors);
        Assert.Equal(JsonSchemaVersions.Property, error.Field);
        Assert.StartsWith(JsonSchemaVersions.NotAcceptedCode + ": container-status-event version 1 was accepted until", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_http_intake_refuses_a_version_the_transition_no_longer_accepts_and_queues_nothing()
    {
        var publisher = new RecordingEventPublisher();
        var intake = new ContainerEventIntake(publisher, new ContainerEventMetrics(), time: new FakeTimeProvider(Now), versions: Transition(Now.AddDays(-60), Now.AddDays(-1)));

        var refused = await intake.AcceptAsync(Encoding.UTF8.GetBytes("[" + Event(null, "E-0") + "," + Event("container-status-event:1", "E-1") + "]"));
        var accepted = await intake.AcceptAsync(Encoding.UTF8.GetBytes(Event(null, "E-2")));

        Assert.Equal(EventIntakeStatus.Rejected, refused.Status);
        Assert.Equal(EventIntakeStatus.Accepted, accepted.Status);
        Assert.Equal(["E-2"], publisher.Queued.Select(e => e.EventId));
    }

    [Fact]
    public async Task A_batch_events_file_with_a_refused_version_is_quarantined_naming_the_event_and_field()
    {
        var bytes = Encoding.UTF8.GetBytes("[\n" + Event(null, "E-0") + ",\n" + Event("container-status-event:1", "E-1") + "\n]\n");
        var pipeline = Pipeline(Transition(Now.AddDays(-60), Now.AddDays(-1)));

        var analysis = await pipeline.AnalyzeAsync(new BatchFile("b", "events.json", bytes.Length), new MemoryStream(bytes));
        var accepted = await Pipeline(Transition(Now.AddDays(-1), Now.AddDays(30))).AnalyzeAsync(new BatchFile("b", "events.json", bytes.Length), new MemoryStream(bytes));

        Assert.True(analysis.Quarantine);
        var finding = Assert.Single(analysis.Findings.Kept, f => f.IsError);
        Assert.Equal(BatchErrorCodes.EventInvalid, finding.Code);
        Assert.Equal((2, JsonSchemaVersions.Property), (finding.Position.Item, finding.Position.Field));
        Assert.Contains(JsonSchemaVersions.NotAcceptedCode, finding.Message, StringComparison.Ordinal);
        Assert.False(accepted.Quarantine, string.Join("; ", accepted.Findings.Kept.Select(f => f.Code + " " + f.Message)));
    }

    private static (GateQuery? Query, Dictionary<string, string[]> Errors) Gate(string? schemaVersion, MessageVersionPolicy? versions)
    {
        var body = "{ " + (schemaVersion is null ? string.Empty : $"\"schemaVersion\": \"{schemaVersion}\", ") +
            "\"containerNumber\": \"MSCU1234566\", \"direction\": \"IN\", \"gateTransactionId\": \"G-1\", \"terminal\": \"NLRTM-ECT\" }";
        using var json = System.Text.Json.JsonDocument.Parse(body);
        var query = GateQueryIntake.Parse(json.RootElement, "t", Now, _ => true, versions, out var errors);
        return (query, errors.ToDictionary());
    }

    [Fact]
    public void A_gate_query_reads_its_version_as_events_do()
    {
        var over = Transition(Now.AddDays(-60), Now.AddDays(-1), JsonSchemaVersions.GateQuery);

        Assert.NotNull(Gate(null, over).Query);
        Assert.NotNull(Gate("gate-query:1", null).Query);
        Assert.NotNull(Gate("gate-query:1", Transition(Now.AddDays(-1), Now.AddDays(30), JsonSchemaVersions.GateQuery)).Query);
        var (unknown, unknownErrors) = Gate("gate-query:2", null);
        var (late, lateErrors) = Gate("gate-query:1", over);

        Assert.Null(unknown);
        Assert.StartsWith(JsonSchemaVersions.UnknownCode, Assert.Single(unknownErrors[JsonSchemaVersions.Property]), StringComparison.Ordinal);
        Assert.Null(late);
        Assert.StartsWith(JsonSchemaVersions.NotAcceptedCode, Assert.Single(Assert.Single(lateErrors).Value), StringComparison.Ordinal);
    }

    private static byte[] DischargeList(string? schemaVersion) => Encoding.UTF8.GetBytes(
        "{ " + (schemaVersion is null ? string.Empty : $"\"schemaVersion\": \"{schemaVersion}\", ") +
        "\"vesselImo\": \"9811000\", \"voyage\": \"124E\", \"containers\": [ { \"containerNumber\": \"MSCU1234566\", \"dischargedAt\": \"2027-01-15T03:02:00Z\" } ] }");

    [Theory]
    [InlineData(null, false, false)]
    [InlineData("terminal-discharge-list:1", false, false)]
    [InlineData("terminal-discharge-list:1", true, true)]
    [InlineData("terminal-discharge-list:9", false, true)]
    public async Task A_discharge_list_file_declares_its_version_once_at_its_top(string? version, bool transitionOver, bool refused)
    {
        var bytes = DischargeList(version);
        var versions = transitionOver ? Transition(Now.AddDays(-60), Now.AddDays(-1), JsonSchemaVersions.DischargeList) : MessageVersionPolicy.None;

        var analysis = await Pipeline(versions).AnalyzeAsync(new BatchFile("b", "list.json", bytes.Length), new MemoryStream(bytes));
        var offline = PortCustoms.Core.Reconciliation.DischargeListReader.Read(bytes);

        Assert.Equal(refused, analysis.Quarantine);
        if (refused)
        {
            var finding = Assert.Single(analysis.Findings.Kept, f => f.IsError);
            Assert.Equal(transitionOver ? JsonSchemaVersions.NotAcceptedCode : JsonSchemaVersions.UnknownCode, finding.Code);
            Assert.Equal(JsonSchemaVersions.Property, finding.Position.Field);
        }
        // Offline (reconcile): no transition there, only what this build reads.
        Assert.Equal(version == "terminal-discharge-list:9", offline.List is null);
        string[] expected = version == "terminal-discharge-list:9" ? [JsonSchemaVersions.UnknownCode] : [];
        Assert.Equal(expected, offline.Errors.Select(e => e.Code));
    }

    private static BatchFilePipeline Pipeline(MessageVersionPolicy versions) => new(
        Options.Create(new BatchOptions()),
        new EdifactTranslator(),
        new RecordingEventPublisher(),
        new CustomsNotificationService(new InMemoryCustomsStateStore(), new GateMetrics(new TestMeterFactory()), NullLogger<CustomsNotificationService>.Instance),
        new RecordingDocumentStore(),
        new RecordingCompletion())
    {
        EventsNotAfter = () => Now,
        Versions = versions,
    };
}
