using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Reconciliation;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Reconciliation;

/// <summary>
/// A CUSCAR and a terminal discharge list read exactly as files arrive, stored through the vessel-call store (the
/// batch-drop flow writes the same store), a run started over HTTP, the report read from its links.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ReconciliationEndToEndTests(AppHostFixture fixture)
{
    // One container twice, the other with a broken seal, one more discharged than manifested.
    private const string Cuscar = "UNA:+.? 'UNB+UNOC:3+MSCU:ZZZ+NLCUSTOMS:ZZZ+261120:1000+CM000077'UNH+M1+CUSCAR:D:95B:UN'BGM+85+77W+9'" +
        "TDT+20+77W+1+++++9811000:146:11:MSC EXAMPLE'LOC+9+CNSHA:139:6'LOC+11+NLRTM:139:6'" +
        "EQD+CN+MSCU1234566+45G1:102:5+++5'MEA+AAE+G+KGM:24000'SEL+ML-12345+CA'EQD+CN+CMAU4001000+4510:102:5+++4'" +
        "CNI+1+MEDU1234567'RFF+BM:MEDU1234567'GID+1+120:CT'SGP+MSCU1234566'UNT+14+M1'UNZ+1+CM000077'";

    private const string DischargeCsv =
        "ContainerNumber,VesselIMO,Voyage,DischargedAt,SizeType,SealNumbers,GrossMassKg,FullEmpty\r\n" +
        "MSCU1234566,9811000,77W,2026-11-26T03:02:00+01:00,40HC,ML-99999,24100,F\r\n" +
        "CMAU4001000,9811000,77W,2026-11-26T03:04:00+01:00,4510,,,E\r\n" +
        "TGHU1234567,9811000,77W,2026-11-26T03:06:00+01:00,22G1,,,F\r\n";

    [Fact]
    public async Task A_stored_manifest_and_discharge_list_are_reconciled_over_HTTP_into_a_report_with_JSON_and_CSV()
    {
        var manifests = await ManifestFileReader.ReadAsync("broker-a/cuscar-77w.edi", Encoding.Latin1.GetBytes(Cuscar));
        Assert.Empty(manifests.Errors);
        var list = DischargeListReader.Read(Encoding.UTF8.GetBytes(DischargeCsv)).List!;
        var store = fixture.App.Host.Services.GetRequiredService<IVesselCallDocumentStore>();
        await store.PutManifestAsync(list.VesselCall, "cuscar-77w:M1", "broker-a/cuscar-77w.edi", manifests.Manifests[0].Manifest, default);
        await store.PutDischargeListAsync(list.VesselCall, "discharge-77w", "tos/discharge-77w.csv", list, default);

        var start = await fixture.Client.PostAsJsonAsync("api/v1/reconciliations", new { vesselImo = "9811000", voyage = "77W" });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var started = await start.Content.ReadFromJsonAsync<JsonElement>();
        var statusUrl = started.GetProperty("statusUrl").GetString()!;
        Assert.Equal(statusUrl, start.Headers.Location?.ToString());

        JsonElement status;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            while (true)
            {
                status = await fixture.Client.GetFromJsonAsync<JsonElement>(statusUrl, timeout.Token);
                if (status.GetProperty("state").GetString() is "reported" or "failed")
                {
                    break;
                }
                await Task.Delay(250, timeout.Token);
            }
        }
        Assert.Equal("reported", status.GetProperty("state").GetString());
        var counts = status.GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("SEAL-MISMATCH").GetInt32());
        Assert.Equal(1, counts.GetProperty("OVER-LANDED").GetInt32());
        Assert.Equal(0, counts.GetProperty("SHORT-LANDED").GetInt32());
        Assert.Equal(0, counts.GetProperty("SIZE-TYPE-MISMATCH").GetInt32());
        Assert.Equal(2, status.GetProperty("total").GetInt32());

        var json = await DownloadAsync(status.GetProperty("report").GetProperty("json").GetString()!);
        var report = ReconciliationReportWriter.FromJson(Encoding.UTF8.GetBytes(json));
        Assert.Equal("9811000-77W", report.VesselCall);
        var seal = report.Discrepancies.Single(d => d.Kind == DiscrepancyKind.SealMismatch);
        Assert.Contains("broker-a/cuscar-77w.edi", seal.Manifest[0].Source, StringComparison.Ordinal);
        Assert.Equal("MEDU1234567", seal.Manifest[0].BillOfLading);
        Assert.Equal(1, seal.Discharge[0].Row);
        var csv = await DownloadAsync(status.GetProperty("report").GetProperty("csv").GetString()!);
        Assert.Equal(3, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("TGHU1234567 was discharged (row 3", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_and_a_discharge_list_dropped_over_SFTP_are_reconciled_over_HTTP()
    {
        // The whole way: files into the landing account's inbound, filed by the batch flow, a run started over HTTP.
        var blobs = new BlobServiceClient(fixture.Azurite.ConnectionString);
        var inbound = blobs.GetBlobContainerClient("inbound");
        var cuscar = Cuscar.Replace("77W", "78W", StringComparison.Ordinal).Replace("CM000077", "CM000078", StringComparison.Ordinal);
        var discharge = DischargeCsv.Replace("77W", "78W", StringComparison.Ordinal);
        await inbound.GetBlobClient("carrier-msc/cuscar-78w.edi").UploadAsync(BinaryData.FromBytes(Encoding.Latin1.GetBytes(cuscar)), overwrite: true);
        await WaitForAsync(blobs, "processed", "carrier-msc/cuscar-78w.edi.result.json");
        await inbound.GetBlobClient("terminal/discharge-78w.csv").UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(discharge)), overwrite: true);
        await WaitForAsync(blobs, "processed", "terminal/discharge-78w.csv.result.json");

        var start = await fixture.Client.PostAsJsonAsync("api/v1/reconciliations", new { vesselImo = "9811000", voyage = "78W" });
        Assert.True(start.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, await start.Content.ReadAsStringAsync());
        var statusUrl = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!;

        JsonElement status;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            do
            {
                await Task.Delay(250, timeout.Token);
                status = await fixture.Client.GetFromJsonAsync<JsonElement>(statusUrl, timeout.Token);
            }
            while (status.GetProperty("state").GetString() is not ("reported" or "failed"));
        }
        Assert.Equal("reported", status.GetProperty("state").GetString());
        Assert.Equal(1, status.GetProperty("counts").GetProperty("SEAL-MISMATCH").GetInt32());
        Assert.Equal(1, status.GetProperty("counts").GetProperty("OVER-LANDED").GetInt32());
        var report = ReconciliationReportWriter.FromJson(Encoding.UTF8.GetBytes(await DownloadAsync(status.GetProperty("report").GetProperty("json").GetString()!)));
        // The evidence names the dropped files.
        Assert.Contains("carrier-msc/cuscar-78w.edi", report.Discrepancies.Single(d => d.Kind == DiscrepancyKind.SealMismatch).Manifest[0].Source, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(BlobServiceClient blobs, string container, string name)
    {
        var blob = blobs.GetBlobContainerClient(container).GetBlobClient(name);
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!(await blob.ExistsAsync()).Value)
        {
            if (DateTime.UtcNow > until)
            {
                var quarantined = await blobs.GetBlobContainerClient("quarantine").GetBlobClient(name.Replace(".result.json", ".error.json", StringComparison.Ordinal)).ExistsAsync();
                throw new TimeoutException($"{container}/{name} did not appear{(quarantined.Value ? " (the file was quarantined)" : string.Empty)}.");
            }
            await Task.Delay(200);
        }
    }

    private async Task<string> DownloadAsync(string link)
    {
        // The link is the blob's URL; Azurite (like Azure) wants the app's credentials to read it.
        var uri = new Uri(link);
        var segments = uri.AbsolutePath.Split('/', 4);
        var blob = new BlobClient(fixture.Azurite.ConnectionString, segments[2], Uri.UnescapeDataString(segments[3]));
        return (await blob.DownloadContentAsync()).Value.Content.ToString();
    }
}
