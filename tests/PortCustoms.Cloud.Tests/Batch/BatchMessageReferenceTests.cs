using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PortCustoms.Cloud.Batch;
using PortCustoms.Cloud.Tests.Batch.Fixtures;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.Batch;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.Batch;

/// <summary>
/// EDIFACT message references (UNH 0062) across a broker's files, against Azurite: a reference the same sender used
/// for the same message type in an earlier applied file within <c>Batch:DuplicateWindow</c> is refused.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BatchMessageReferenceTests(AzuriteFixture azurite)
{
    private const string Sender = "NLRTMECT";

    private sealed class Crash : Exception;

    /// <summary>A CODECO interchange: per message its reference and document number (the event id).</summary>
    internal static string Interchange(string controlReference, params (string Reference, string Document)[] messages) =>
        InterchangeFrom(Sender, controlReference, messages);

    internal static string InterchangeFrom(string sender, string controlReference, params (string Reference, string Document)[] messages)
    {
        var text = new StringBuilder($"UNA:+.? 'UNB+UNOC:3+{sender}:ZZZ+NLCUSTOMS:ZZZ+261126:0815+{controlReference}'");
        foreach (var (reference, document) in messages)
        {
            text.Append($"UNH+{reference}+CODECO:D:95B:UN:ITG12'BGM+36+{document}+9'NAD+MS+NLRTMECT:160:166'")
                .Append("EQD+CN+MAEU7654320+2210:102:5++3+4'DTM+7:202611260930?+01:303'LOC+7+NLRTM:139:6'CNT+16:1'")
                .Append($"UNT+8+{reference}'");
        }
        return text.Append($"UNZ+{messages.Length}+{controlReference}'").ToString();
    }

    private static JsonElement Json(string? text)
    {
        Assert.NotNull(text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static List<JsonElement> Errors(JsonElement report, string code) =>
        [.. report.GetProperty("errors").EnumerateArray().Where(e => e.GetProperty("code").GetString() == code)];

    private static async Task<BatchDropResult> DropAndProcessAsync(BatchDropHarness h, string name, string content)
    {
        await h.DropAsync(name, content);
        return await h.ProcessAsync(name);
    }

    [Fact]
    public async Task A_message_reference_the_sender_used_in_an_earlier_file_is_refused_at_its_UNH_and_the_file_quarantined()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        Assert.Equal(BatchDisposition.Processed, (await DropAndProcessAsync(h, "one.edi", Interchange("A1", ("1", "G-1"), ("2", "G-2")))).Drop!.Disposition);

        // A new interchange reference, but message 2 again.
        var second = await DropAndProcessAsync(h, "two.edi", Interchange("A2", ("2", "G-3"), ("3", "G-4")));

        Assert.Equal(BatchDisposition.Quarantined, second.Drop!.Disposition);
        var report = Json(await h.ReadTextAsync("quarantine", "two.edi.error.json"));
        var error = Assert.Single(Errors(report, BatchErrorCodes.DuplicateMessageReference));
        // UNB is segment 1, the first UNH segment 2; UNH element 1 is the message reference (0062).
        Assert.Equal(2, error.GetProperty("segment").GetInt32());
        Assert.Equal(1, error.GetProperty("element").GetInt32());
        Assert.Contains($"{h.Broker}/one.edi@", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(Errors(report, BatchErrorCodes.DuplicateInterchange));
        Assert.Equal(["G-1", "G-2"], h.Publisher.Queued.Select(e => e.EventId).Order());
        Assert.Contains("UCI+A2+NLRTMECT:ZZZ+NLCUSTOMS:ZZZ+4", await h.ReadTextAsync("outbound", "two.edi.contrl.edi"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task References_a_ledger_recorded_before_one_row_per_drop_still_count_after_an_upgrade()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        Assert.Equal(BatchDisposition.Processed, (await DropAndProcessAsync(h, "one.edi", Interchange("A1", ("1", "G-1"), ("2", "G-2")))).Drop!.Disposition);
        // Rewrite its reference rows as the version before wrote them: one row per reference, keyed by the reference alone.
        var rewritten = 0;
        await foreach (var row in h.LedgerTable.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey.CompareTo("unb|") >= 0 && e.PartitionKey.CompareTo("unh}") < 0))
        {
            await h.LedgerTable.DeleteEntityAsync(row.PartitionKey, row.RowKey);
            row.RowKey = row.RowKey[..row.RowKey.IndexOf('|', StringComparison.Ordinal)];
            await h.LedgerTable.AddEntityAsync(row);
            rewritten++;
        }
        Assert.Equal(3, rewritten);

        var sameInterchange = await DropAndProcessAsync(h, "two.edi", Interchange("A1", ("8", "G-8")));
        var sameMessage = await DropAndProcessAsync(h, "three.edi", Interchange("A3", ("9", "G-9"), ("2", "G-3")));

        Assert.Equal(BatchDisposition.Quarantined, sameInterchange.Drop!.Disposition);
        Assert.Single(Errors(Json(await h.ReadTextAsync("quarantine", "two.edi.error.json")), BatchErrorCodes.DuplicateInterchange));
        Assert.Equal(BatchDisposition.Quarantined, sameMessage.Drop!.Disposition);
        Assert.Single(Errors(Json(await h.ReadTextAsync("quarantine", "three.edi.error.json")), BatchErrorCodes.DuplicateMessageReference));
        Assert.Equal(["G-1", "G-2"], h.Publisher.Queued.Select(e => e.EventId).Order());
    }

    [Fact]
    public async Task After_the_window_the_same_message_reference_is_accepted_again()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-27T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var h = await BatchDropHarness.CreateAsync(azurite, (o, _) => o.DuplicateWindow = TimeSpan.FromDays(1), time);
        await DropAndProcessAsync(h, "one.edi", Interchange("A1", ("7", "G-1")));

        time.Advance(TimeSpan.FromHours(23));
        var within = await DropAndProcessAsync(h, "two.edi", Interchange("A2", ("7", "G-2")));
        time.Advance(TimeSpan.FromHours(2));
        var after = await DropAndProcessAsync(h, "three.edi", Interchange("A3", ("7", "G-3")));

        Assert.Equal(BatchDisposition.Quarantined, within.Drop!.Disposition);
        Assert.Equal(BatchDisposition.Processed, after.Drop!.Disposition);
        Assert.Equal(["G-1", "G-3"], h.Publisher.Queued.Select(e => e.EventId).Order());
    }

    [Fact]
    public async Task Another_sender_or_another_broker_may_use_the_same_message_reference()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        var other = "rival" + h.Broker["broker".Length..];
        await DropAndProcessAsync(h, "one.edi", Interchange("A1", ("1", "G-1")));

        var otherSender = await DropAndProcessAsync(h, "two.edi", InterchangeFrom("DEHAMCT", "A2", ("1", "G-2")));
        await h.Blobs.GetBlobContainerClient(BatchDropProcessor.InboundContainer).GetBlobClient($"{other}/three.edi")
            .UploadAsync(BinaryData.FromString(Interchange("A3", ("1", "G-3"))));
        var otherBroker = await h.Processor.ProcessAsync(other, "three.edi");

        Assert.Equal(BatchDisposition.Processed, otherSender.Drop!.Disposition);
        Assert.Equal(BatchDisposition.Processed, otherBroker.Drop!.Disposition);
        Assert.Equal(["G-1", "G-2", "G-3"], h.Publisher.Queued.Select(e => e.EventId).Order());
        // Still refused for the first sender in the first broker's folder: the others did not take the reference over.
        Assert.Equal(BatchDisposition.Quarantined, (await DropAndProcessAsync(h, "four.edi", Interchange("A4", ("1", "G-4")))).Drop!.Disposition);
    }

    [Fact]
    public async Task With_message_level_rejection_a_reused_reference_is_rejected_alone_and_the_others_are_applied()
    {
        var h = await BatchDropHarness.CreateAsync(azurite, (o, broker) => o.Brokers[broker] = new BatchBrokerOptions { Rejection = BatchRejection.Message });
        await DropAndProcessAsync(h, "one.edi", Interchange("A1", ("1", "G-1")));

        var second = await DropAndProcessAsync(h, "two.edi", Interchange("A2", ("5", "G-5"), ("1", "G-9"), ("6", "G-6")));

        Assert.Equal(BatchDisposition.Processed, second.Drop!.Disposition);
        Assert.Equal(["G-1", "G-5", "G-6"], h.Publisher.Queued.Select(e => e.EventId).Order());
        var report = Json(await h.ReadTextAsync("processed", "two.edi.result.json"));
        Assert.Equal(2, report.GetProperty("accepted").GetInt64());
        var rejected = Assert.Single(report.GetProperty("rejectedMessages").EnumerateArray());
        Assert.Equal("1", rejected.GetProperty("reference").GetString());
        var error = Assert.Single(Errors(report, BatchErrorCodes.DuplicateMessageReference));
        Assert.Equal(10, error.GetProperty("segment").GetInt32()); // UNB (1), message 5 (2 to 9), then its UNH.
        var contrl = await h.ReadTextAsync("outbound", "two.edi.contrl.edi");
        Assert.Contains("UCI+A2+NLRTMECT:ZZZ+NLCUSTOMS:ZZZ+7'UCM+1+CODECO:D:95B:UN+4+26+UNH+1'", contrl, StringComparison.Ordinal);
        Assert.DoesNotContain("UCM+5", contrl, StringComparison.Ordinal);
        Assert.DoesNotContain("UCM+6", contrl, StringComparison.Ordinal);

        // The accepted messages' references were recorded; the rejected one still belongs to the first file.
        var third = await DropAndProcessAsync(h, "three.edi", Interchange("A3", ("6", "G-7"), ("8", "G-8")));
        Assert.Equal(BatchDisposition.Processed, third.Drop!.Disposition);
        var thirdReport = Json(await h.ReadTextAsync("processed", "three.edi.result.json"));
        Assert.Equal(["6"], thirdReport.GetProperty("rejectedMessages").EnumerateArray().Select(m => m.GetProperty("reference").GetString()));
        Assert.Equal(["G-1", "G-5", "G-6", "G-8"], h.Publisher.Queued.Select(e => e.EventId).Order());
    }

    [Fact]
    public async Task A_quarantined_files_references_do_not_count_so_the_corrected_resend_is_accepted()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        // Message 2's type is one the translator does not know: not allowed, so the file is quarantined.
        var bad = Interchange("A1", ("1", "G-1"), ("2", "G-2")).Replace("UNH+2+CODECO", "UNH+2+CODECX", StringComparison.Ordinal);
        Assert.Equal(BatchDisposition.Quarantined, (await DropAndProcessAsync(h, "bad.edi", bad)).Drop!.Disposition);

        var fixedFile = await DropAndProcessAsync(h, "fixed.edi", Interchange("A2", ("1", "G-1"), ("2", "G-2")));

        Assert.Equal(BatchDisposition.Processed, fixedFile.Drop!.Disposition);
        Assert.Equal(["G-1", "G-2"], h.Publisher.Queued.Select(e => e.EventId).Order());
    }

    [Fact]
    public async Task References_recorded_by_a_file_quarantined_for_its_interchange_reference_do_not_count()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await DropAndProcessAsync(h, "one.edi", Interchange("A1", ("1", "G-1")));
        // Message 2 passes pass 1 (and is recorded there), then the reused UNB 0020 quarantines the file.
        var reused = await DropAndProcessAsync(h, "two.edi", Interchange("A1", ("2", "G-2")));

        var resent = await DropAndProcessAsync(h, "three.edi", Interchange("A3", ("2", "G-2")));

        Assert.Equal(BatchDisposition.Quarantined, reused.Drop!.Disposition);
        Assert.Empty(Errors(Json(await h.ReadTextAsync("quarantine", "two.edi.error.json")), BatchErrorCodes.DuplicateMessageReference));
        Assert.Equal(BatchDisposition.Processed, resent.Drop!.Disposition);
        Assert.Equal(["G-1", "G-2"], h.Publisher.Queued.Select(e => e.EventId).Order());
    }

    [Theory]
    [InlineData(BatchDropStep.Applied)]
    [InlineData(BatchDropStep.LedgerDecided)]
    public async Task A_crash_after_the_references_were_recorded_then_a_rerun_does_not_refuse_the_files_own_messages(BatchDropStep step)
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await h.DropAsync("gate.edi", Interchange("A1", ("1", "G-1"), ("2", "G-2")));
        h.Processor.AfterStep = s => s == step ? throw new Crash() : Task.CompletedTask;

        await Assert.ThrowsAsync<Crash>(() => h.ProcessAsync("gate.edi"));
        h.Processor.AfterStep = null;
        var rerun = await h.ProcessAsync("gate.edi");

        Assert.Equal(BatchDropStatus.Completed, rerun.Status);
        Assert.Equal(BatchDisposition.Processed, rerun.Drop!.Disposition);
        var report = Json(await h.ReadTextAsync("processed", "gate.edi.result.json"));
        Assert.Empty(Errors(report, BatchErrorCodes.DuplicateMessageReference));
        Assert.Equal(2, report.GetProperty("accepted").GetInt64());
        Assert.Equal(["G-1", "G-2"], h.Publisher.Queued.Select(e => e.EventId).Order());
        Assert.Equal(["outbound/gate.edi.contrl.edi", "processed/gate.edi", "processed/gate.edi.result.json"], await h.ListAsync());
        // The references are the file's after the re-run: another file reusing one is refused.
        Assert.Equal(BatchDisposition.Quarantined, (await DropAndProcessAsync(h, "again.edi", Interchange("A2", ("2", "G-3")))).Drop!.Disposition);
    }
}
