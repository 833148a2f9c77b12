using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.Tests.Batch.Fixtures;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Batch;

/// <summary>Azurite and the app on LocalHost with stand-ins for the vessel-call store (issue 14 provides the real one).</summary>
public sealed class BatchDropEndToEndFixture : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = new();

    public RecordingDocumentStore Documents { get; } = new();

    public RecordingCompletion Completion { get; } = new();

    public AppHost App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        App = await AppHost.StartAsync(Azurite.ConnectionString, new Dictionary<string, string?> { ["LocalHost:BlobPollInterval"] = "00:00:00.200" }, services =>
        {
            services.AddSingleton<IVesselCallDocumentStore>(Documents);
            services.AddSingleton<IDischargeListCompletion>(Completion);
        });
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        await Azurite.DisposeAsync();
    }
}

/// <summary>Files uploaded into Azurite's inbound container, picked up by LocalHost's blob feed, routed through the app.</summary>
public sealed class BatchDropEndToEndTests(BatchDropEndToEndFixture fixture) : IClassFixture<BatchDropEndToEndFixture>
{
    private static int s_serial;

    private BlobServiceClient Blobs => fixture.Azurite.CreateBlobServiceClient();

    private static string NewContainer()
    {
        var firstTen = "TGHU" + (Interlocked.Increment(ref s_serial) + 400_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        return firstTen + ContainerNumber.ComputeCheckDigit(firstTen);
    }

    private async Task UploadAsync(string path, string content) =>
        await Blobs.GetBlobContainerClient("inbound").GetBlobClient(path).UploadAsync(BinaryData.FromBytes(Encoding.Latin1.GetBytes(content)), overwrite: true);

    private async Task<string> WaitForBlobAsync(string container, string path)
    {
        var blob = Blobs.GetBlobContainerClient(container).GetBlobClient(path);
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            try
            {
                return (await blob.DownloadContentAsync()).Value.Content.ToString();
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"{container}/{path} did not appear.");
    }

    private async Task<JsonElement> GateAsync(string container)
    {
        using var gate = await fixture.App.Client.PostAsJsonAsync("api/v1/gate/queries", new
        {
            containerNumber = container, direction = "OUT", gateTransactionId = "G-" + Guid.NewGuid().ToString("N"), terminal = "NLRTM-ECT", requestedAt = "2026-11-26T08:15:00+01:00",
        });
        return await gate.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_CUSRES_release_dropped_by_a_broker_changes_the_gate_answer_to_CLEAR()
    {
        var container = NewContainer();
        Assert.Equal("HOLD", (await GateAsync(container)).GetProperty("decision").GetString());

        await UploadAsync($"customs/release-{container}.edi",
            "UNA:+.? '\nUNB+UNOC:3+NLCUSTOMS+NLRTMECT+261126:0710+B" + container[4..10] + "'\n"
            + "UNH+1+CUSRES:D:96B:UN'\nBGM+962+24NL0000000000077+9'\nDTM+182:202611260710?+00:303'\nGIS+4'\n"
            + "EQD+CN+" + container + "'\nRFF+ABT:24NL0000000000077'\nUNT+7+1'\nUNZ+1+B" + container[4..10] + "'\n");

        var result = await WaitForBlobAsync("processed", $"customs/release-{container}.edi.result.json");
        Assert.Contains("\"customsNotifications\": 1", result, StringComparison.Ordinal);
        var answer = await GateAsync(container);
        Assert.Equal(("CLEAR", "24NL0000000000077"), (answer.GetProperty("decision").GetString(), answer.GetProperty("customsReference").GetString()));
        Assert.Contains("UCI+B" + container[4..10], await WaitForBlobAsync("outbound", $"customs/release-{container}.edi.contrl.edi"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminal_JSON_events_dropped_over_SFTP_appear_on_the_container_view()
    {
        var container = NewContainer();
        await UploadAsync($"terminal/events-{container}.json",
            $$"""[ { "eventId": "B-{{container}}", "containerNumber": "{{container}}", "type": "DISCHARGED", "occurredAt": "2026-11-26T03:02:00Z", "vesselImo": "9811000", "voyage": "124E" } ]""");

        await WaitForBlobAsync("processed", $"terminal/events-{container}.json.result.json");
        var until = DateTime.UtcNow.AddSeconds(30);
        List<string?> ids = [];
        while (DateTime.UtcNow < until)
        {
            using var view = await fixture.App.Client.GetAsync($"api/v1/containers/{container}");
            if (view.IsSuccessStatusCode)
            {
                var body = await view.Content.ReadFromJsonAsync<JsonElement>();
                ids = body.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()).ToList();
                if (ids.Count > 0)
                {
                    break;
                }
            }
            await Task.Delay(200);
        }
        Assert.Equal([$"B-{container}"], ids);
    }

    [Fact]
    public async Task A_bad_file_lands_in_quarantine_with_its_original_bytes_and_an_error_report()
    {
        var name = $"broker-q/bad-{Guid.NewGuid():N}.csv";
        const string content = "containerNumber,vesselImo,voyage,dischargedAt\r\nMSCU1234567,9811000,124E,2026-11-26T03:02:00Z\r\n";
        await UploadAsync(name, content);

        var report = await WaitForBlobAsync("quarantine", name + ".error.json");

        Assert.Contains("BATCH-CONTAINER-NUMBER", report, StringComparison.Ordinal);
        Assert.Equal(content, await WaitForBlobAsync("quarantine", name));
        // The report is written before the move; the original leaves inbound once copied and verified.
        var original = Blobs.GetBlobContainerClient("inbound").GetBlobClient(name);
        var until = DateTime.UtcNow.AddSeconds(30);
        while ((await original.ExistsAsync()).Value && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }
        Assert.False((await original.ExistsAsync()).Value);
        Assert.Equal(0, fixture.Documents.Puts);
    }
}
