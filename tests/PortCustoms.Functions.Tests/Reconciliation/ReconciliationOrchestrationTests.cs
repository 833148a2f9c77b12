using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.Reconciliation;
using PortCustoms.Functions.Reconciliation;
using static PortCustoms.Functions.Tests.Reconciliation.Calls;

namespace PortCustoms.Functions.Tests.Reconciliation;

/// <summary>The reconciliation orchestration on LocalHost's in-process Durable Task host, over real HTTP and Azurite.</summary>
[Collection(ReconciliationHostCollection.Name)]
public sealed class ReconciliationOrchestrationTests(ReconciliationHostFixture fixture)
{
    private const int Containers = 1_200;

    /// <summary>Stores a manifest of <paramref name="count"/> containers and a discharge list with a known set of discrepancies.</summary>
    private async Task<Dictionary<string, int>> StoreCallAsync(VesselCall call, int count = Containers)
    {
        var manifested = Enumerable.Range(0, count).Select(i => Valid("RCN", i)).ToList();
        var manifest = new CargoManifest
        {
            Vessel = new ManifestVessel { Imo = call.Imo },
            Voyage = call.Voyage,
            Containers = [.. manifested.Select(c => new ManifestContainer { ContainerNumber = ContainerNumber.Parse(c), SizeType = SizeTypeCode.Iso45G1, SealNumbers = ["S" + c], GrossMassKg = 20_000m, FullEmpty = FullEmpty.Full })],
        };
        var rows = new List<DischargedContainer>();
        var expected = new Dictionary<string, int>();
        void Expect(DiscrepancyKind kind) => expected[kind.Code()] = expected.GetValueOrDefault(kind.Code()) + 1;
        for (var i = 0; i < count; i++)
        {
            var row = new DischargedContainer { Row = rows.Count + 1, ContainerNumber = manifested[i], DischargedAt = DateTimeOffset.UnixEpoch, SizeType = "40HC", SealNumbers = ["S" + manifested[i]], GrossMassKg = 20_100m, FullEmpty = FullEmpty.Full };
            switch (i % 50)
            {
                case 0:
                    Expect(DiscrepancyKind.ShortLanded);
                    continue;
                case 1:
                    row = row with { SealNumbers = ["BROKEN"] };
                    Expect(DiscrepancyKind.SealMismatch);
                    break;
                case 2:
                    row = row with { GrossMassKg = 26_000m };
                    Expect(DiscrepancyKind.GrossMassMismatch);
                    break;
                case 3:
                    row = row with { SizeType = "22G1" };
                    Expect(DiscrepancyKind.SizeTypeMismatch);
                    break;
                case 4:
                    row = row with { FullEmpty = FullEmpty.Empty };
                    Expect(DiscrepancyKind.FullEmptyMismatch);
                    break;
                case 5:
                    rows.Add(row);
                    row = row with { Row = rows.Count + 1 };
                    Expect(DiscrepancyKind.DuplicateInDischargeList);
                    break;
            }
            rows.Add(row);
        }
        for (var i = 0; i < count / 100; i++)
        {
            rows.Add(new DischargedContainer { Row = rows.Count + 1, ContainerNumber = Valid("OVR", i), DischargedAt = DateTimeOffset.UnixEpoch });
            Expect(DiscrepancyKind.OverLanded);
        }
        await fixture.Store.PutManifestAsync(call, "manifest-1", "tests/cuscar", manifest, default);
        await fixture.Store.PutDischargeListAsync(call, "discharge-1", "tests/discharge.csv", new DischargeList { VesselCall = call, Containers = rows }, default);
        return expected;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> StartAsync(VesselCall call, bool? rerun = null)
    {
        var response = await fixture.Client.PostAsJsonAsync("api/v1/reconciliations", rerun is null
            ? (object)new { vesselImo = call.Imo.ToString(), voyage = call.Voyage }
            : new { vesselImo = call.Imo.ToString(), voyage = call.Voyage, rerun });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<ReconciliationReport> ReportAsync(JsonElement status)
    {
        var content = await new BlobClient(fixture.Azurite.ConnectionString, BlobReconciliationContainer, Name(status, "json")).DownloadContentAsync();
        return ReconciliationReportWriter.FromJson(content.Value.Content.ToMemory().Span);
    }

    private const string BlobReconciliationContainer = "reconciliations";

    // The link is {blobEndpoint}/{container}/{name}: the name is what follows the container.
    private static string Name(JsonElement status, string which)
    {
        var path = Uri.UnescapeDataString(new Uri(status.GetProperty("report").GetProperty(which).GetString()!).AbsolutePath);
        return path[(path.IndexOf("/" + BlobReconciliationContainer + "/", StringComparison.Ordinal) + BlobReconciliationContainer.Length + 2)..];
    }

    [Fact]
    public async Task A_run_fans_out_over_many_chunks_and_fans_in_to_one_numbered_report()
    {
        var call = Next();
        var expected = await StoreCallAsync(call);

        var (code, started) = await StartAsync(call);
        Assert.Equal(HttpStatusCode.Accepted, code);
        var id = started.GetProperty("id").GetString()!;
        Assert.Equal("recon-" + call.Key, id);
        Assert.EndsWith("/api/v1/reconciliations/" + id, started.GetProperty("statusUrl").GetString(), StringComparison.Ordinal);

        var status = await fixture.WaitForAsync(id, ReconciliationHostFixture.IsReported);
        Assert.Equal("Running", status.GetProperty("runtimeStatus").GetString());
        var counts = status.GetProperty("counts");
        foreach (var kind in DiscrepancyKinds.All)
        {
            Assert.Equal(expected.GetValueOrDefault(kind.Code()), counts.GetProperty(kind.Code()).GetInt32());
        }
        Assert.Equal(expected.Values.Sum(), status.GetProperty("total").GetInt32());

        var report = await ReportAsync(status);
        Assert.Equal(Enumerable.Range(1, report.Total), report.Discrepancies.Select(d => d.Number));
        Assert.Equal(Containers, report.ManifestedContainers);
        Assert.Equal(["manifest", "dischargeList"], report.Documents.Select(d => d.Kind));
        // 1 200 manifested + ~1 230 rows in chunks of 5 000 would be one chunk: the default; the fan-out test below forces many.
        Assert.Contains(report.Discrepancies, d => d.Kind == DiscrepancyKind.SealMismatch && d.Manifest[0].SealNumbers.Count == 1 && d.Discharge[0].SealNumbers[0] == "BROKEN");
    }

    [Fact]
    public async Task Many_chunks_give_the_same_report_as_one_and_the_orchestrator_logs_once_despite_replays()
    {
        var call = Next();
        var expected = await StoreCallAsync(call);
        var client = fixture.Host.Services.GetRequiredService<DurableTaskClient>();
        var id = ReconciliationRequest.InstanceIdFor(call);
        // Fifty-odd chunks: every activity completion replays the orchestrator from the start.
        await client.ScheduleNewOrchestrationInstanceAsync(ReconciliationOrchestration.Name, new ReconciliationRequest
        {
            VesselImo = call.Imo.ToString(),
            Voyage = call.Voyage,
            ChunkSize = 50,
            Deadline = DateTimeOffset.UtcNow.AddHours(1),
            ResolveUntil = DateTimeOffset.UtcNow.AddHours(1),
        }, new StartOrchestrationOptions(id));

        var status = await fixture.WaitForAsync(id, ReconciliationHostFixture.IsReported);
        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.NotNull(instance);
        Assert.Equal(expected.Values.Sum(), status.GetProperty("total").GetInt32());
        var report = await ReportAsync(status);
        Assert.Equal(expected.Values.Sum(), report.Total);

        var reportedLogs = fixture.Logs.Records.Count(r => r.EventId == 1414 && r.Message.Contains(id, StringComparison.Ordinal));
        Assert.Equal(1, reportedLogs);
    }

    [Fact]
    public async Task A_second_start_returns_the_same_run_and_only_an_explicit_rerun_starts_another()
    {
        var call = Next();
        await StoreCallAsync(call, 100);
        var (first, body) = await StartAsync(call);
        var (second, again) = await StartAsync(call);
        Assert.Equal(HttpStatusCode.Accepted, first);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal(body.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.False(again.GetProperty("started").GetBoolean());
        var id = body.GetProperty("id").GetString()!;
        var reported = await fixture.WaitForAsync(id, ReconciliationHostFixture.IsReported);
        Assert.Equal(1, reported.GetProperty("run").GetInt32());

        // New data, then an explicit rerun: the same id, run 2, a report of its own beside run 1's.
        await fixture.Store.PutDischargeListAsync(call, "discharge-2", "tests/discharge-2.csv", new DischargeList
        {
            VesselCall = call,
            Containers = [new DischargedContainer { Row = 1, ContainerNumber = Valid("RCN", 1), DischargedAt = DateTimeOffset.UnixEpoch }],
        }, default);
        var (rerun, rerunBody) = await StartAsync(call, rerun: true);
        Assert.Equal(HttpStatusCode.Accepted, rerun);
        Assert.Equal(id, rerunBody.GetProperty("id").GetString());
        Assert.Equal(2, rerunBody.GetProperty("run").GetInt32());
        var second2 = await fixture.WaitForAsync(id, s => ReconciliationHostFixture.IsReported(s) && s.GetProperty("run").GetInt32() == 2);
        Assert.Contains("/run-2/", Name(second2, "json").Insert(0, "/"), StringComparison.Ordinal);
        Assert.Equal(99, second2.GetProperty("counts").GetProperty("SHORT-LANDED").GetInt32());
    }

    [Fact]
    public async Task A_run_past_its_deadline_escalates_once_and_still_completes()
    {
        var call = Next();
        await StoreCallAsync(call, 50);
        var client = fixture.Host.Services.GetRequiredService<DurableTaskClient>();
        var id = ReconciliationRequest.InstanceIdFor(call);
        fixture.Slow.Delay = TimeSpan.FromSeconds(4);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(ReconciliationOrchestration.Name, new ReconciliationRequest
            {
                VesselImo = call.Imo.ToString(),
                Voyage = call.Voyage,
                Deadline = DateTimeOffset.UtcNow.AddSeconds(1),
                ResolveUntil = DateTimeOffset.UtcNow.AddHours(1),
            }, new StartOrchestrationOptions(id));
            var escalated = await fixture.WaitForAsync(id, s => s.GetProperty("escalated").GetBoolean());
            Assert.NotEqual("reported", escalated.GetProperty("state").GetString());
        }
        finally
        {
            fixture.Slow.Delay = TimeSpan.Zero;
        }
        var reported = await fixture.WaitForAsync(id, ReconciliationHostFixture.IsReported);
        Assert.True(reported.GetProperty("escalated").GetBoolean());
        var errors = fixture.Logs.Records.Where(r => r.EventId == 1410 && r.Message.Contains(id, StringComparison.Ordinal)).ToList();
        Assert.Single(errors);
        Assert.Equal(LogLevel.Error, errors[0].Level);
    }

    [Fact]
    public async Task A_run_that_beats_its_deadline_does_not_escalate()
    {
        var call = Next();
        await StoreCallAsync(call, 50);
        var (_, body) = await StartAsync(call);
        var id = body.GetProperty("id").GetString()!;
        var reported = await fixture.WaitForAsync(id, ReconciliationHostFixture.IsReported);
        Assert.False(reported.GetProperty("escalated").GetBoolean());
        Assert.DoesNotContain(fixture.Logs.Records, r => r.EventId == 1410 && r.Message.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_operator_resolution_is_an_external_event_and_the_report_shows_who_when_and_why()
    {
        var call = Next();
        await StoreCallAsync(call, 100);
        var (_, body) = await StartAsync(call);
        var id = body.GetProperty("id").GetString()!;
        var reported = await fixture.WaitForAsync(id, ReconciliationHostFixture.IsReported);
        Assert.Equal(0, reported.GetProperty("resolved").GetInt32());

        var response = await fixture.Client.PostAsJsonAsync($"api/v1/reconciliations/{id}/discrepancies/2/resolution", new { resolvedBy = "officer.jansen", note = "Seal replaced at transshipment; certificate seen." });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var resolved = await fixture.WaitForAsync(id, s => s.GetProperty("resolved").GetInt32() == 1);
        var report = await ReportAsync(resolved);
        var d = report.Discrepancies[1];
        Assert.Equal("officer.jansen", d.Resolution!.ResolvedBy);
        Assert.Equal("Seal replaced at transshipment; certificate seen.", d.Resolution.Note);
        Assert.True(d.Resolution.ResolvedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.All(report.Discrepancies.Where(x => x.Number != 2), x => Assert.Null(x.Resolution));
        var csv = await new BlobClient(fixture.Azurite.ConnectionString, BlobReconciliationContainer, Name(resolved, "csv")).DownloadContentAsync();
        Assert.Contains("officer.jansen", csv.Value.Content.ToString(), StringComparison.Ordinal);

        // A second resolution of another number keeps the first.
        await fixture.Client.PostAsJsonAsync($"api/v1/reconciliations/{id}/discrepancies/1/resolution", new { resolvedBy = "planner", note = "Rolled to next call." });
        var both = await fixture.WaitForAsync(id, s => s.GetProperty("resolved").GetInt32() == 2);
        var after = await ReportAsync(both);
        Assert.Equal("officer.jansen", after.Discrepancies[1].Resolution!.ResolvedBy);
        Assert.Equal("planner", after.Discrepancies[0].Resolution!.ResolvedBy);
    }

    [Fact]
    public async Task Resolutions_are_refused_with_a_reason_when_they_cannot_apply()
    {
        var call = Next();
        await StoreCallAsync(call, 50);
        var (_, body) = await StartAsync(call);
        var id = body.GetProperty("id").GetString()!;
        var reported = await fixture.WaitForAsync(id, ReconciliationHostFixture.IsReported);
        var total = reported.GetProperty("total").GetInt32();

        var beyond = await fixture.Client.PostAsJsonAsync($"api/v1/reconciliations/{id}/discrepancies/{total + 1}/resolution", new { resolvedBy = "a", note = "b" });
        Assert.Equal(HttpStatusCode.NotFound, beyond.StatusCode);
        var noNote = await fixture.Client.PostAsJsonAsync($"api/v1/reconciliations/{id}/discrepancies/1/resolution", new { resolvedBy = "a" });
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        Assert.True((await noNote.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("note", out _));
        var unknown = await fixture.Client.PostAsJsonAsync("api/v1/reconciliations/recon-9811000-NOPE/discrepancies/1/resolution", new { resolvedBy = "a", note = "b" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_call_without_a_discharge_list_fails_with_a_clear_code_not_an_empty_report()
    {
        var call = Next();
        await fixture.Store.PutManifestAsync(call, "only-manifest", "tests", new CargoManifest { Vessel = new ManifestVessel { Imo = call.Imo }, Voyage = call.Voyage }, default);
        var (_, body) = await StartAsync(call);
        var id = body.GetProperty("id").GetString()!;
        var status = await fixture.WaitForAsync(id, s => s.GetProperty("state").GetString() == "failed");
        Assert.Equal(ReconciliationErrorCodes.NoDischargeList, status.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("report").ValueKind);
    }

    [Fact]
    public async Task Start_refuses_a_bad_IMO_and_a_missing_voyage_naming_each_field()
    {
        var response = await fixture.Client.PostAsJsonAsync("api/v1/reconciliations", new { vesselImo = "9811001" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("vesselImo", out _));
        Assert.True(errors.TryGetProperty("voyage", out _));
    }

    [Fact]
    public async Task An_unknown_reconciliation_is_404()
    {
        var response = await fixture.Client.GetAsync("api/v1/reconciliations/recon-9811000-UNKNOWN");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_completed_discharge_list_starts_its_call_through_the_pending_marker_once()
    {
        var call = Next();
        await StoreCallAsync(call, 30);
        var completion = fixture.Host.Services.GetRequiredService<IDischargeListCompletion>();
        await completion.DischargeListCompletedAsync(call, default);
        await completion.DischargeListCompletedAsync(call, default);
        var starter = fixture.Host.Services.GetRequiredService<ReconciliationStarter>();
        var client = fixture.Host.Services.GetRequiredService<DurableTaskClient>();
        var pending = fixture.Host.Services.GetRequiredService<Cloud.Reconciliation.BlobPendingReconciliations>();
        var catalog = fixture.Host.Services.GetRequiredService<IVesselCallCatalog>();

        var started = await starter.StartDueAsync(client, pending, catalog, default);
        Assert.True(started >= 1);
        Assert.DoesNotContain(call, await pending.ListAsync(default).ToListAsync());
        var status = await fixture.WaitForAsync(ReconciliationRequest.InstanceIdFor(call), ReconciliationHostFixture.IsReported);
        Assert.Equal(1, status.GetProperty("run").GetInt32());
    }
}
