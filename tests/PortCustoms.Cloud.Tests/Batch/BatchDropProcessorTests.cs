using System.Text;
using System.Text.Json;
using PortCustoms.Cloud.Batch;
using PortCustoms.Cloud.Tests.Batch.Fixtures;
using PortCustoms.Core.Tests.Batch.Fixtures;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Edifact;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.Batch;

/// <summary>Batch drops against Azurite: each format, each kind of bad file, duplicates, empty blobs, temporary names.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BatchDropProcessorTests(AzuriteFixture azurite)
{
    internal const string DischargeCsv =
        "containerNumber,vesselImo,voyage,dischargedAt,sizeType,sealNumbers,grossMassKg,fullEmpty,billOfLading\r\n" +
        "MSCU1234566,9811000,124E,2026-11-26T03:02:00Z,45G1,ML-12345;CU-1,23150,F,MEDU1234567\r\n" +
        "\"MAEU7654320\",9811000,124E,2026-11-26T03:10:00+01:00,20GP,,,E,\r\n";

    internal const string EventsJson = """
        [ { "eventId": "E-1", "containerNumber": "MSCU1234566", "type": "DISCHARGED", "occurredAt": "2026-11-26T03:02:00Z", "vesselImo": "9811000", "voyage": "124E" },
          { "eventId": "E-2", "containerNumber": "MAEU7654320", "type": "GATED_OUT", "occurredAt": "2026-11-26T09:00:00Z" } ]
        """;

    private static JsonElement Json(string? text)
    {
        Assert.NotNull(text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static IEnumerable<string> Codes(JsonElement report, string list = "errors") =>
        report.GetProperty(list).EnumerateArray().Select(e => e.GetProperty("code").GetString()!);

    [Fact]
    public async Task A_valid_CODECO_interchange_queues_its_events_moves_to_processed_and_is_acknowledged()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        var content = BatchDropHarness.Fixture("codeco-d95b-gate.edi");
        await h.DropAsync("gate.edi", Encoding.Latin1.GetBytes(content));

        var result = await h.ProcessAsync("gate.edi");

        Assert.Equal(BatchDropStatus.Completed, result.Status);
        Assert.Equal(BatchDisposition.Processed, result.Drop!.Disposition);
        Assert.Equal(["G-2026-000123", "G-2026-000124"], h.Publisher.Queued.Select(e => e.EventId).Order());
        Assert.Equal(["outbound/gate.edi.contrl.edi", "processed/gate.edi", "processed/gate.edi.result.json"], await h.ListAsync());
        Assert.Equal(Encoding.Latin1.GetBytes(content), await h.ReadAsync("processed", "gate.edi"));
        var report = Json(await h.ReadTextAsync("processed", "gate.edi.result.json"));
        Assert.Equal("EDIFACT", report.GetProperty("format").GetString());
        Assert.Equal("PROCESSED", report.GetProperty("outcome").GetString());
        Assert.Equal(2, report.GetProperty("messageTypes").GetProperty("CODECO").GetInt64());
        Assert.Equal(2, report.GetProperty("routed").GetProperty("statusEvents").GetInt64());
        var contrl = await h.ReadTextAsync("outbound", "gate.edi.contrl.edi");
        Assert.Contains("UCI+CC000123+NLRTMECT:ZZZ+NLCUSTOMS:ZZZ+7'", contrl, StringComparison.Ordinal);
        Assert.Equal(BatchDropState.Done, (await h.Ledger.GetDropAsync(h.Broker, "gate.edi"))!.State);
    }

    [Fact]
    public async Task A_CUSRES_interchange_goes_through_the_customs_notification_service()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        // Keep message 1 only (its UNT ends the message); message 2 carries customs' own error report.
        var lines = BatchDropHarness.Fixture("cusres-d95b-release.edi").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var first = lines.TakeWhile(l => !l.StartsWith("UNH+2", StringComparison.Ordinal)).Append("UNZ+1+CR000042'");
        await h.DropAsync("release.edi", string.Join('\n', first));

        var result = await h.ProcessAsync("release.edi");

        Assert.Equal(BatchDisposition.Processed, result.Drop!.Disposition);
        var state = await h.CustomsStore.GetStateAsync(ContainerNumber.Parse("MSCU1234566"));
        Assert.NotNull(state);
        Assert.Equal(CustomsStatus.Released, state!.Current!.Status);
    }

    [Fact]
    public async Task A_CUSCAR_manifest_is_stored_under_its_vessel_call()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await h.DropAsync("manifest.edi", Encoding.Latin1.GetBytes(BatchDropHarness.Fixture("cuscar-d95b-manifest.edi")));

        var result = await h.ProcessAsync("manifest.edi");

        Assert.Equal(BatchDisposition.Processed, result.Drop!.Disposition);
        var document = Assert.Single(h.Documents.Documents);
        Assert.Equal(VesselCallDocumentKind.Manifest, document.Kind);
        Assert.Equal("9811000-124E", document.VesselCall.Key);
        Assert.Equal($"{h.Broker}/manifest.edi", document.Source);
        Assert.Contains(h.Documents.Body<CargoManifest>(document).Containers, c => c.ContainerNumber.ToString() == "MSCU1234566");
    }

    [Fact]
    public async Task A_discharge_list_CSV_is_stored_per_vessel_call_and_reconciliation_is_told()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await h.DropAsync("discharge.csv", DischargeCsv);

        var result = await h.ProcessAsync("discharge.csv");

        Assert.Equal(BatchDisposition.Processed, result.Drop!.Disposition);
        var document = Assert.Single(h.Documents.Documents);
        Assert.Equal(VesselCallDocumentKind.DischargeList, document.Kind);
        var list = h.Documents.Body<DischargeList>(document);
        Assert.Equal(["MSCU1234566", "MAEU7654320"], list.Containers.Select(c => c.ContainerNumber));
        Assert.Equal(["ML-12345", "CU-1"], list.Containers[0].SealNumbers);
        Assert.Equal(FullEmpty.Empty, list.Containers[1].FullEmpty);
        Assert.Equal(["9811000-124E"], h.Completion.Completed);
        var report = Json(await h.ReadTextAsync("processed", "discharge.csv.result.json"));
        Assert.Equal("CSV_DISCHARGE_LIST", report.GetProperty("format").GetString());
        Assert.Empty(await h.ListAsync() is var all && all.Any(n => n.StartsWith("outbound/", StringComparison.Ordinal)) ? ["outbound"] : Array.Empty<string>());
    }

    [Fact]
    public async Task Terminal_JSON_events_are_queued_and_a_JSON_discharge_list_is_stored()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await h.DropAsync("events.json", EventsJson);
        await h.DropAsync("discharge.json", """
            { "vesselImo": "9811000", "voyage": "124E",
              "containers": [ { "containerNumber": "MSCU1234566", "dischargedAt": "2026-11-26T03:02:00Z", "sealNumbers": ["ML-1", "ML-2"], "grossMassKg": 23150 } ] }
            """);

        Assert.Equal(BatchDisposition.Processed, (await h.ProcessAsync("events.json")).Drop!.Disposition);
        Assert.Equal(BatchDisposition.Processed, (await h.ProcessAsync("discharge.json")).Drop!.Disposition);

        Assert.Equal(["E-1", "E-2"], h.Publisher.Queued.Select(e => e.EventId).Order());
        var list = h.Documents.Body<DischargeList>(Assert.Single(h.Documents.Documents));
        Assert.Equal(23150m, Assert.Single(list.Containers).GrossMassKg);
        Assert.Equal(["ML-1", "ML-2"], list.Containers[0].SealNumbers);
    }

    [Fact]
    public async Task An_envelope_error_quarantines_the_original_bytes_with_a_positioned_error_report_and_a_rejecting_CONTRL()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        var bad = Encoding.Latin1.GetBytes(BatchDropHarness.Fixture("codeco-d95b-gate.edi").Replace("UNT+12+1'", "UNT+11+1'", StringComparison.Ordinal));
        await h.DropAsync("bad.edi", bad);

        var result = await h.ProcessAsync("bad.edi");

        Assert.Equal(BatchDisposition.Quarantined, result.Drop!.Disposition);
        Assert.Empty(h.Publisher.Sent);
        Assert.Equal(["outbound/bad.edi.contrl.edi", "quarantine/bad.edi", "quarantine/bad.edi.error.json"], await h.ListAsync());
        Assert.Equal(bad, await h.ReadAsync("quarantine", "bad.edi"));
        var report = Json(await h.ReadTextAsync("quarantine", "bad.edi.error.json"));
        var error = report.GetProperty("errors").EnumerateArray().Single(e => e.GetProperty("code").GetString() == EdifactErrorCodes.MessageCountMismatch);
        Assert.Equal(14, error.GetProperty("line").GetInt32());
        Assert.Equal(13, error.GetProperty("segment").GetInt32());
        Assert.Equal(1, report.GetProperty("counts").GetProperty(EdifactErrorCodes.MessageCountMismatch).GetInt64());
        Assert.Contains("+4", (await h.ReadTextAsync("outbound", "bad.edi.contrl.edi"))!.Split('\'').Single(s => s.StartsWith("UCI", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lenient_broker_gets_envelope_mismatches_as_warnings_and_the_file_applied()
    {
        var h = await BatchDropHarness.CreateAsync(azurite, (o, broker) => o.Brokers[broker] = new BatchBrokerOptions { Envelope = EdifactValidationMode.Lenient });
        await h.DropAsync("loose.edi", BatchDropHarness.Fixture("codeco-d95b-gate.edi").Replace("UNT+12+1'", "UNT+11+1'", StringComparison.Ordinal));

        var result = await h.ProcessAsync("loose.edi");

        Assert.Equal(BatchDisposition.Processed, result.Drop!.Disposition);
        Assert.Equal(2, h.Publisher.Queued.Count);
        Assert.Contains(EdifactErrorCodes.MessageCountMismatch, Codes(Json(await h.ReadTextAsync("processed", "loose.edi.result.json")), "warnings"));
    }

    [Fact]
    public async Task Message_level_rejection_applies_the_good_messages_and_names_both_sets()
    {
        var h = await BatchDropHarness.CreateAsync(azurite, (o, broker) => o.Brokers[broker] = new BatchBrokerOptions { Rejection = BatchRejection.Message });
        // Message 2's container fails its check digit.
        await h.DropAsync("mixed.edi", BatchDropHarness.Fixture("codeco-d95b-gate.edi").Replace("MAEU7654320", "MAEU7654321", StringComparison.Ordinal));

        var result = await h.ProcessAsync("mixed.edi");

        Assert.Equal(BatchDisposition.Processed, result.Drop!.Disposition);
        Assert.Equal(["G-2026-000123"], h.Publisher.Queued.Select(e => e.EventId));
        var report = Json(await h.ReadTextAsync("processed", "mixed.edi.result.json"));
        Assert.Equal(1, report.GetProperty("accepted").GetInt64());
        Assert.Equal(1, report.GetProperty("rejected").GetInt64());
        Assert.Equal("2", Assert.Single(report.GetProperty("rejectedMessages").EnumerateArray()).GetProperty("reference").GetString());
        Assert.Contains(Codes(report), c => c.StartsWith("EDI-MAP-CONTAINER", StringComparison.Ordinal));
        var contrl = (await h.ReadTextAsync("outbound", "mixed.edi.contrl.edi"))!.Split('\'').Select(s => s.Trim()).ToList();
        Assert.Contains(contrl, s => s.StartsWith("UCI+CC000123", StringComparison.Ordinal) && s.EndsWith("+7", StringComparison.Ordinal));
        Assert.Contains("UCM+2+CODECO:D:95B:UN+4", contrl);
    }

    [Fact]
    public async Task The_same_error_under_interchange_rejection_quarantines_the_whole_file()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await h.DropAsync("mixed.edi", BatchDropHarness.Fixture("codeco-d95b-gate.edi").Replace("MAEU7654320", "MAEU7654321", StringComparison.Ordinal));

        var result = await h.ProcessAsync("mixed.edi");

        Assert.Equal(BatchDisposition.Quarantined, result.Drop!.Disposition);
        Assert.Empty(h.Publisher.Sent);
    }

    [Theory]
    [InlineData("no-column.csv", "containerNumber,vesselImo,voyage\r\nMSCU1234566,9811000,124E\r\n", BatchErrorCodes.CsvColumnMissing)]
    [InlineData("check-digit.csv", "containerNumber,vesselImo,voyage,dischargedAt\r\nMSCU1234567,9811000,124E,2026-11-26T03:02:00Z\r\n", BatchErrorCodes.ContainerNumber)]
    [InlineData("no-offset.csv", "containerNumber,vesselImo,voyage,dischargedAt\r\nMSCU1234566,9811000,124E,2026-11-26T03:02:00\r\n", BatchErrorCodes.DateTime)]
    [InlineData("quote.csv", "containerNumber,vesselImo,voyage,dischargedAt\r\n\"MSCU1234566,9811000,124E,2026-11-26T03:02:00Z\r\n", BatchErrorCodes.CsvMalformed)]
    [InlineData("broken.json", "[ { \"eventId\": \"E-1\", ", BatchErrorCodes.JsonMalformed)]
    [InlineData("bad-event.json", "[ { \"eventId\": \"E-1\", \"containerNumber\": \"MSCU1234567\", \"type\": \"DISCHARGED\", \"occurredAt\": \"2026-11-26T03:02:00Z\" } ]", BatchErrorCodes.EventInvalid)]
    [InlineData("notes.txt", "Dear customs, please find attached...", BatchErrorCodes.UnknownFormat)]
    [InlineData("truncated.edi", "UNA:+.? 'UNB+UNOC:3+A:ZZZ+B:ZZZ+261126:0815+R1'UNH+1+CODECO:D:95B:UN'BGM+34+X+9'", EdifactErrorCodes.MessageTrailerMissing)]
    public async Task Each_kind_of_bad_file_is_quarantined_whole_with_its_stable_code(string name, string content, string code)
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await h.DropAsync(name, content);

        var result = await h.ProcessAsync(name);

        Assert.Equal(BatchDisposition.Quarantined, result.Drop!.Disposition);
        Assert.Contains(code, Codes(Json(await h.ReadTextAsync("quarantine", name + ".error.json"))));
        Assert.Equal(content, await h.ReadTextAsync("quarantine", name));
        Assert.Null(await h.ReadAsync("inbound", name));
        Assert.Empty(h.Publisher.Sent);
        Assert.Equal(0, h.Documents.Puts);
    }

    [Fact]
    public async Task The_same_content_under_another_name_is_processed_once_and_recorded_as_a_duplicate()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await h.DropAsync("first.json", EventsJson);
        await h.ProcessAsync("first.json");
        await h.DropAsync("again.json", EventsJson);

        var second = await h.ProcessAsync("again.json");

        Assert.Equal(BatchDisposition.Duplicate, second.Drop!.Disposition);
        Assert.Equal(2, h.Publisher.Sent.Count);
        var report = Json(await h.ReadTextAsync("processed", "again.json.result.json"));
        Assert.True(report.GetProperty("duplicate").GetBoolean());
        Assert.Equal($"processed/{h.Broker}/first.json", report.GetProperty("duplicateOf").GetString());
        Assert.Equal(0, report.GetProperty("routed").GetProperty("statusEvents").GetInt64());
        Assert.Equal((0, 0), (report.GetProperty("accepted").GetInt64(), report.GetProperty("rejected").GetInt64()));
    }

    [Fact]
    public async Task A_second_drop_of_quarantined_content_is_a_duplicate_kept_in_quarantine()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        const string bad = "containerNumber,vesselImo\r\nMSCU1234566,9811000\r\n";
        await h.DropAsync("bad.csv", bad);
        await h.ProcessAsync("bad.csv");
        await h.DropAsync("bad-again.csv", bad);

        var second = await h.ProcessAsync("bad-again.csv");

        Assert.Equal(BatchDisposition.Duplicate, second.Drop!.Disposition);
        var report = Json(await h.ReadTextAsync("quarantine", "bad-again.csv.error.json"));
        Assert.Equal($"quarantine/{h.Broker}/bad.csv", report.GetProperty("duplicateOf").GetString());
        Assert.Equal(["quarantine/bad-again.csv", "quarantine/bad-again.csv.error.json", "quarantine/bad.csv", "quarantine/bad.csv.error.json"], await h.ListAsync());
    }

    [Fact]
    public async Task Another_broker_with_the_same_content_and_interchange_reference_gets_its_own_outcome_and_never_learns_of_the_first_broker_files()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        var other = "rival" + h.Broker["broker".Length..];
        var interchange = BatchDropHarness.Fixture("codeco-d95b-gate.edi");
        await h.DropAsync("secret-a-gate.edi", interchange);
        Assert.Equal(BatchDisposition.Processed, (await h.ProcessAsync("secret-a-gate.edi")).Drop!.Disposition);

        // Broker B sends the very same bytes (same content hash, same sender and UNB 0020), then resends them itself.
        await h.Blobs.GetBlobContainerClient(BatchDropProcessor.InboundContainer).GetBlobClient($"{other}/b-gate.edi").UploadAsync(BinaryData.FromString(interchange));
        var first = await h.Processor.ProcessAsync(other, "b-gate.edi");
        await h.Blobs.GetBlobContainerClient(BatchDropProcessor.InboundContainer).GetBlobClient($"{other}/b-again.edi").UploadAsync(BinaryData.FromString(interchange));
        var again = await h.Processor.ProcessAsync(other, "b-again.edi");

        Assert.Equal(BatchDisposition.Processed, first.Drop!.Disposition);
        Assert.Equal(BatchDisposition.Duplicate, again.Drop!.Disposition);
        Assert.Equal($"processed/{other}/b-gate.edi", again.Drop.DuplicateOf);
        // Every output broker B can read (result.json, error.json, CONTRL in outbound/{broker}/) names only its own files.
        var outputs = new List<string>();
        foreach (var container in BatchDropHarness.Containers.Where(c => c != BatchDropProcessor.InboundContainer))
        {
            await foreach (var item in h.Blobs.GetBlobContainerClient(container).GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = other + "/" }))
            {
                outputs.Add($"{container}/{item.Name}");
                var text = (await h.Blobs.GetBlobContainerClient(container).GetBlobClient(item.Name).DownloadContentAsync()).Value.Content.ToString();
                Assert.DoesNotContain("secret-a-gate", text, StringComparison.Ordinal);
                Assert.DoesNotContain(h.Broker + "/", text, StringComparison.Ordinal);
            }
        }
        Assert.Contains($"outbound/{other}/b-gate.edi.contrl.edi", outputs);
        Assert.Contains($"processed/{other}/b-gate.edi.result.json", outputs);
        Assert.Contains($"processed/{other}/b-again.edi.result.json", outputs);
    }

    [Fact]
    public async Task A_reused_interchange_reference_of_the_same_sender_is_quarantined_as_a_duplicate()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        var original = BatchDropHarness.Fixture("codeco-d95b-gate.edi");
        await h.DropAsync("one.edi", original);
        await h.ProcessAsync("one.edi");
        // Other content (one message fewer), same sender and UNB 0020.
        var lines = original.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var reused = string.Join('\n', lines.TakeWhile(l => !l.StartsWith("UNH+2", StringComparison.Ordinal)).Append("UNZ+1+CC000123'"));
        await h.DropAsync("two.edi", reused);

        var second = await h.ProcessAsync("two.edi");

        Assert.Equal(BatchDisposition.Quarantined, second.Drop!.Disposition);
        Assert.Contains(BatchErrorCodes.DuplicateInterchange, Codes(Json(await h.ReadTextAsync("quarantine", "two.edi.error.json"))));
        Assert.Equal(2, h.Publisher.Sent.Count);
    }

    [Fact]
    public async Task An_empty_blob_is_not_processed_and_stays_where_it_is()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await h.DropAsync("empty.edi", []);

        var result = await h.ProcessAsync("empty.edi");

        Assert.Equal(BatchDropStatus.Skipped, result.Status);
        Assert.Equal(["inbound/empty.edi"], await h.ListAsync());
        Assert.Null(await h.Ledger.GetDropAsync(h.Broker, "empty.edi"));
    }

    [Fact]
    public async Task A_blob_that_does_not_exist_or_is_not_committed_is_not_processed()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        // A staged block without a commit is not a blob yet.
        var blob = h.Blob("inbound", "open.edi");
        await new Azure.Storage.Blobs.Specialized.BlockBlobClient(blob.Uri, new Azure.Storage.StorageSharedKeyCredential("devstoreaccount1", AzuriteKey))
            .StageBlockAsync(Convert.ToBase64String(new byte[16]), new MemoryStream(Encoding.ASCII.GetBytes("UNA:+.? 'UNB+UNOC")));

        var result = await h.ProcessAsync("open.edi");

        Assert.Equal(BatchDropStatus.Skipped, result.Status);
        Assert.Empty(await h.ListAsync());
    }

    [Fact]
    public async Task A_file_over_the_brokers_limit_is_quarantined_unread()
    {
        var h = await BatchDropHarness.CreateAsync(azurite, (o, broker) => o.Brokers[broker] = new BatchBrokerOptions { MaxFileSize = 100 });
        await h.DropAsync("big.json", EventsJson);

        var result = await h.ProcessAsync("big.json");

        Assert.Equal(BatchDisposition.Quarantined, result.Drop!.Disposition);
        Assert.Contains(BatchErrorCodes.TooLarge, Codes(Json(await h.ReadTextAsync("quarantine", "big.json.error.json"))));
        Assert.Equal(EventsJson, await h.ReadTextAsync("quarantine", "big.json"));
    }

    [Fact]
    public async Task A_broker_may_send_only_its_allowed_message_types()
    {
        var h = await BatchDropHarness.CreateAsync(azurite, (o, broker) => o.Brokers[broker] = new BatchBrokerOptions { AllowedMessageTypes = ["CUSCAR"] });
        await h.DropAsync("gate.edi", BatchDropHarness.Fixture("codeco-d95b-gate.edi"));

        var result = await h.ProcessAsync("gate.edi");

        Assert.Equal(BatchDisposition.Quarantined, result.Drop!.Disposition);
        Assert.Contains(BatchErrorCodes.MessageTypeNotAllowed, Codes(Json(await h.ReadTextAsync("quarantine", "gate.edi.error.json"))));
    }

    [Fact]
    public async Task A_WinSCP_filepart_commit_is_processed_once_under_the_final_name()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await h.DropAsync("gate.edi.filepart", BatchDropHarness.Fixture("codeco-d95b-gate.edi"));

        // Committed under the temporary name: not yet (the trigger retries).
        await Assert.ThrowsAsync<BatchDropNotReadyException>(() => h.ProcessAsync("gate.edi.filepart"));
        // The client renames.
        var temp = h.Blob("inbound", "gate.edi.filepart");
        await h.DropAsync("gate.edi", (await temp.DownloadContentAsync()).Value.Content.ToArray());
        await temp.DeleteAsync();

        var first = await h.ProcessAsync("gate.edi.filepart");
        var second = await h.ProcessAsync("gate.edi");

        Assert.Equal(BatchDropStatus.Completed, first.Status);
        Assert.Equal(BatchDropStatus.AlreadyDone, second.Status);
        Assert.Equal(["outbound/gate.edi.contrl.edi", "processed/gate.edi", "processed/gate.edi.result.json"], await h.ListAsync());
        Assert.Equal(2, h.Publisher.Sent.Count);
    }

    [Fact]
    public async Task The_same_name_dropped_again_with_new_content_keeps_both_files()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await h.DropAsync("daily.json", EventsJson);
        await h.ProcessAsync("daily.json");
        await h.DropAsync("daily.json", EventsJson.Replace("E-1", "E-3", StringComparison.Ordinal).Replace("E-2", "E-4", StringComparison.Ordinal));

        var second = await h.ProcessAsync("daily.json");

        Assert.Equal(BatchDisposition.Processed, second.Drop!.Disposition);
        var all = await h.ListAsync();
        Assert.Contains("processed/daily.json", all);
        Assert.Equal(2, all.Count(n => n.StartsWith("processed/daily.json", StringComparison.Ordinal) && !n.EndsWith(".result.json", StringComparison.Ordinal)));
        Assert.Equal(4, h.Publisher.Queued.Count);
    }

    [Fact]
    public async Task A_large_generated_file_streams_through_storage_with_exact_counts_and_a_bounded_error_report()
    {
        const long rows = 300_000;
        var row = Encoding.ASCII.GetBytes("MSCU1234567,9811000,124E,2026-11-26T03:02:00Z\r\n");
        var h = await BatchDropHarness.CreateAsync(azurite);
        // Generated while uploading, never held whole; every row fails its check digit.
        var generated = new GeneratedStream(Encoding.ASCII.GetBytes("containerNumber,vesselImo,voyage,dischargedAt\r\n"),
            _ => row, rows, []);
        await h.Blob("inbound", "big.csv").UploadAsync(generated);

        var result = await h.ProcessAsync("big.csv");

        Assert.Equal(BatchDisposition.Quarantined, result.Drop!.Disposition);
        Assert.Equal(generated.BytesProduced, result.Drop.Bytes);
        var properties = (await h.Blob("quarantine", "big.csv").GetPropertiesAsync()).Value;
        Assert.Equal(generated.BytesProduced, properties.ContentLength);
        var reportBlob = h.Blob("quarantine", "big.csv.error.json");
        Assert.True((await reportBlob.GetPropertiesAsync()).Value.ContentLength < 100_000);
        var report = Json(await h.ReadTextAsync("quarantine", "big.csv.error.json"));
        Assert.Equal(rows, report.GetProperty("counts").GetProperty(BatchErrorCodes.ContainerNumber).GetInt64());
        Assert.Equal(100, Codes(report).Count(c => c == BatchErrorCodes.ContainerNumber));
        Assert.Equal(rows, report.GetProperty("items").GetInt64());
    }

    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
}
