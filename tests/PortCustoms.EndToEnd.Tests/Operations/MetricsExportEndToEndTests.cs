using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using PortCustoms.Cloud.Events;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.Reconciliation;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.Functions.Tests.Events.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Operations;

/// <summary>
/// The app's metrics as OpenTelemetry exports them: the app on LocalHost with an in-memory exporter added to the app's own
/// MeterProvider (its meter list untouched), real flows over HTTP and storage, then every instrument the README's
/// metrics table lists must have been exported with that name, unit and tag keys. The exporter sees only meters the
/// app's <see cref="IMeterFactory"/> created (a probe meter made outside it is not exported), so parallel tests' apps
/// never count here.
/// </summary>
public sealed class MetricsExportEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly AzuriteFixture _azurite = new();
    private readonly CustomsStatusEventsDouble _customs = new();
    private readonly List<MetricSnapshot> _exported = [];
    private AppHost _app = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        await _customs.StartAsync(CustomsDoubleMode.Fail500);
        _app = await AppHost.StartAsync(_azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["CustomsPlatform:BaseAddress"] = _customs.BaseAddress.ToString(),
            ["ContainerEvents:InitialBackoff"] = "00:00:00.020",
            ["ContainerEvents:MaxBackoff"] = "00:00:00.100",
            ["LocalHost:BlobPollInterval"] = "00:00:00.200",
        }, services => services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddInMemoryExporter(_exported)));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        await _customs.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    private static string NewContainer(string owner, int serial)
    {
        var firstTen = owner + serial.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        return firstTen + ContainerNumber.ComputeCheckDigit(firstTen);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }

    private async Task<HttpStatusCode> PostEventAsync(string eventId, string container)
    {
        using var content = new StringContent(
            $$"""{ "eventId": "{{eventId}}", "containerNumber": "{{container}}", "type": "DISCHARGED", "occurredAt": "2026-11-26T03:00:00+00:00", "vesselImo": "9811000", "sizeType": "2210" }""",
            Encoding.UTF8, "application/json");
        using var response = await _app.Client.PostAsync("api/v1/events", content);
        return response.StatusCode;
    }

    private async Task<bool> BlobExistsAsync(string container, string path)
    {
        try
        {
            return (await _azurite.CreateBlobServiceClient().GetBlobContainerClient(container).GetBlobClient(path).ExistsAsync()).Value;
        }
        catch (RequestFailedException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Every_metric_the_README_lists_is_exported_with_its_unit_and_tags_after_real_flows()
    {
        // Status events: customs failing (500) then up, so one event fails and is then delivered; then refusing (422), so one is dead-lettered.
        var delivered = NewContainer("MSCU", 810_001);
        Assert.Equal(HttpStatusCode.Accepted, await PostEventAsync("MX-1", delivered));
        await WaitUntilAsync(() => Task.FromResult(_customs.Refused >= 1), "customs' first 500");
        _customs.Mode = CustomsDoubleMode.Accept;
        await WaitUntilAsync(() => Task.FromResult(_customs.Arrivals.Any(a => a.EventId == "MX-1")), "the delivery of MX-1");
        _customs.Mode = CustomsDoubleMode.Reject422;
        var refused = NewContainer("MSCU", 810_002);
        Assert.Equal(HttpStatusCode.Accepted, await PostEventAsync("MX-2", refused));
        await WaitUntilAsync(async () =>
        {
            using var view = await _app.Client.GetAsync($"api/v1/containers/{refused}");
            return view.IsSuccessStatusCode
                && (await view.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("waitingForCustoms").EnumerateArray().Any(w => w.GetProperty("deadLettered").GetBoolean());
        }, "MX-2 to show dead-lettered on the container view");
        _customs.Mode = CustomsDoubleMode.Accept;
        using (var invalid = await _app.Client.PostAsync("api/v1/events", new StringContent("""{"eventId":"MX-X","containerNumber":"NOT A NUMBER","type":"LANDED"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }

        // Gate query (no customs status known: HOLD from DEFAULT) and a CUSRES whose status code no code list maps.
        var gated = NewContainer("MSCU", 810_003);
        using (var gate = await _app.Client.PostAsJsonAsync("api/v1/gate/queries", new { containerNumber = gated, direction = "OUT", gateTransactionId = "G-" + gated, terminal = "NLRTM-ECT" }))
        {
            Assert.Equal(HttpStatusCode.OK, gate.StatusCode);
        }
        var cusres = "UNA:+.? '\nUNB+UNOC:3+NLCUSTOMS+NLRTMECT+261126:0710+MX0001'\nUNH+1+CUSRES:D:96B:UN'\nBGM+962+24NL0000000000123+9'\n"
            + "DTM+182:202611260710?+00:303'\nGIS+77'\nEQD+CN+" + gated + "'\nRFF+ABT:24NL0000000000123'\nUNT+7+1'\nUNZ+1+MX0001'\n";
        using (var notification = await _app.Client.PostAsync("api/v1/customs/notifications", new StringContent(cusres, Encoding.Latin1, "application/EDIFACT")))
        {
            Assert.True(notification.IsSuccessStatusCode, $"CUSRES answered {notification.StatusCode}");
        }

        // Batch drops: one processed, one quarantined.
        var inbound = _azurite.CreateBlobServiceClient().GetBlobContainerClient("inbound");
        await WaitUntilAsync(async () => (await inbound.ExistsAsync()).Value, "the landing containers");
        var dropped = NewContainer("TGHU", 810_004);
        await inbound.GetBlobClient("broker-mx/events.json").UploadAsync(BinaryData.FromString(
            $$"""[ { "eventId": "MX-B1", "containerNumber": "{{dropped}}", "type": "DISCHARGED", "occurredAt": "2026-11-26T03:02:00Z", "vesselImo": "9811000", "voyage": "124E" } ]"""));
        await inbound.GetBlobClient("broker-mx/junk.txt").UploadAsync(BinaryData.FromString("not a format anyone sends"));
        await WaitUntilAsync(() => BlobExistsAsync("processed", "broker-mx/events.json.result.json"), "the processed drop");
        await WaitUntilAsync(() => BlobExistsAsync("quarantine", "broker-mx/junk.txt.error.json"), "the quarantined drop");

        // A reconciliation with discrepancies (a broken seal, one more discharged than manifested).
        await ReconcileAsync();

        // The queue gauges read the pending index now rather than at their next 30 s tick.
        await _app.Host.Services.GetRequiredService<PendingDeliveryMetrics>().RefreshAsync();
        using (var probe = new Meter("PortCustoms.Probe"))
        {
            probe.CreateCounter<long>("portcustoms.probe.outside_the_app").Add(1);
            Assert.True(_app.Host.Services.GetRequiredService<MeterProvider>().ForceFlush(30_000));
        }

        var metrics = _exported.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Last());
        Assert.DoesNotContain("portcustoms.probe.outside_the_app", metrics.Keys);

        var listed = ReadmeMetrics();
        Assert.True(listed.Count >= 10, "The README's metrics table was not found.");
        var missing = listed.Where(l => !metrics.ContainsKey(l.Name)).Select(l => l.Name).ToList();
        Assert.True(missing.Count == 0, $"Listed in the README, never exported: {string.Join(", ", missing)}");
        foreach (var (name, unit, tags) in listed)
        {
            var metric = metrics[name];
            Assert.True(unit == metric.Unit, $"{name}: unit {metric.Unit}, README says {unit}");
            foreach (var point in metric.MetricPoints)
            {
                var keys = new List<string>();
                foreach (var tag in point.Tags)
                {
                    keys.Add(tag.Key);
                }
                Assert.True(tags.SetEquals(keys), $"{name}: tags {string.Join(",", keys)}, README says {string.Join(",", tags)}");
            }
        }

        // And the values the flows above must have produced.
        Assert.Contains(Points(metrics["portcustoms.events.delivery_failures"]), p => Tag(p, "category") == "server-error" && Tag(p, "outcome") == "transient");
        Assert.Contains(Points(metrics["portcustoms.events.delivery_failures"]), p => Tag(p, "category") == "refused" && Tag(p, "outcome") == "permanent");
        Assert.Contains(Points(metrics["portcustoms.events.dead_lettered"]), p => Tag(p, "reason") == "CustomsRejected");
        Assert.True(Points(metrics["portcustoms.events.delivered"]).Sum(p => p.GetSumLong()) >= 2);
        Assert.Contains(Points(metrics["portcustoms.gate.decisions"]), p => Tag(p, "source") == "DEFAULT" && Tag(p, "decision") == "HOLD");
        Assert.True(Points(metrics["portcustoms.gate.answer.duration"]).Sum(p => p.GetHistogramCount()) >= 1);
        Assert.Contains(Points(metrics["portcustoms.codes.unmapped"]), p => Tag(p, "messageType") == "CUSRES");
        Assert.Contains(Points(metrics["portcustoms.batch.files"]), p => Tag(p, "broker") == "broker-mx" && Tag(p, "outcome") == "processed");
        Assert.Contains(Points(metrics["portcustoms.batch.files"]), p => Tag(p, "broker") == "broker-mx" && Tag(p, "outcome") == "quarantined");
        Assert.Contains(Points(metrics["portcustoms.reconciliation.discrepancies"]), p => Tag(p, "kind") == "SEAL-MISMATCH");
        Assert.True(Points(metrics["portcustoms.events.dead_letter.depth"]).Single().GetGaugeLastValueLong() >= 1);
        Assert.True(Points(metrics["portcustoms.events.queue.depth"]).Single().GetGaugeLastValueLong() >= 1);
    }

    private static List<MetricPoint> Points(MetricSnapshot metric) => [.. metric.MetricPoints];

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }
        return null;
    }

    /// <summary>The README's metrics table: <c>| `name` | `unit` | tag, tag |</c> rows under <c>## Metrics</c>.</summary>
    private static List<(string Name, string Unit, HashSet<string> Tags)> ReadmeMetrics()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PortCustoms.Functions.sln")))
        {
            directory = directory.Parent;
        }
        Assert.NotNull(directory);
        var lines = File.ReadAllLines(Path.Combine(directory.FullName, "README.md"));
        var start = Array.IndexOf(lines, "## Metrics");
        Assert.True(start >= 0, "README has no '## Metrics' section.");
        List<(string, string, HashSet<string>)> metrics = [];
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            if (!line.StartsWith("| `portcustoms.", StringComparison.Ordinal))
            {
                continue;
            }
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            var tags = cells[3] == "-" ? [] : cells[3].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim('`')).ToHashSet(StringComparer.Ordinal);
            metrics.Add((cells[1].Trim('`'), cells[2].Trim('`'), tags));
        }
        return metrics;
    }

    private const string Cuscar = "UNA:+.? 'UNB+UNOC:3+MSCU:ZZZ+NLCUSTOMS:ZZZ+261120:1000+CM000078'UNH+M1+CUSCAR:D:95B:UN'BGM+85+78W+9'" +
        "TDT+20+78W+1+++++9811000:146:11:MSC EXAMPLE'LOC+9+CNSHA:139:6'LOC+11+NLRTM:139:6'" +
        "EQD+CN+MSCU1234566+45G1:102:5+++5'MEA+AAE+G+KGM:24000'SEL+ML-12345+CA'EQD+CN+CMAU4001000+4510:102:5+++4'" +
        "CNI+1+MEDU1234567'RFF+BM:MEDU1234567'GID+1+120:CT'SGP+MSCU1234566'UNT+14+M1'UNZ+1+CM000078'";

    private const string DischargeCsv =
        "ContainerNumber,VesselIMO,Voyage,DischargedAt,SizeType,SealNumbers,GrossMassKg,FullEmpty\r\n" +
        "MSCU1234566,9811000,78W,2026-11-26T03:02:00+01:00,40HC,ML-99999,24100,F\r\n" +
        "CMAU4001000,9811000,78W,2026-11-26T03:04:00+01:00,4510,,,E\r\n" +
        "TGHU1234567,9811000,78W,2026-11-26T03:06:00+01:00,22G1,,,F\r\n";

    private async Task ReconcileAsync()
    {
        var manifests = await ManifestFileReader.ReadAsync("broker-a/cuscar-78w.edi", Encoding.Latin1.GetBytes(Cuscar));
        Assert.Empty(manifests.Errors);
        var list = DischargeListReader.Read(Encoding.UTF8.GetBytes(DischargeCsv)).List!;
        var store = _app.Host.Services.GetRequiredService<IVesselCallDocumentStore>();
        await store.PutManifestAsync(list.VesselCall, "cuscar-78w:M1", "broker-a/cuscar-78w.edi", manifests.Manifests[0].Manifest, default);
        await store.PutDischargeListAsync(list.VesselCall, "discharge-78w", "tos/discharge-78w.csv", list, default);
        using var start = await _app.Client.PostAsJsonAsync("api/v1/reconciliations", new { vesselImo = "9811000", voyage = "78W" });
        Assert.True(start.IsSuccessStatusCode, $"reconciliation start answered {start.StatusCode}");
        var statusUrl = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!;
        await WaitUntilAsync(async () => (await _app.Client.GetFromJsonAsync<JsonElement>(statusUrl)).GetProperty("state").GetString() is "reported" or "failed", "the reconciliation report");
    }
}
