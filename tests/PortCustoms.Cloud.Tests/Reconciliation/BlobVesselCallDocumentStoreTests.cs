using Microsoft.Extensions.Time.Testing;
using PortCustoms.Cloud.Reconciliation;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.Reconciliation;

/// <summary>The vessel-call document store and the pending-run markers against a real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobVesselCallDocumentStoreTests(AzuriteFixture azurite)
{
    private static readonly VesselCall Call = new(ImoNumber.Parse("9811000"), "124E");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero));

    private BlobVesselCallDocumentStore NewStore(out string container)
    {
        container = "vc" + Guid.NewGuid().ToString("N")[..12];
        return new BlobVesselCallDocumentStore(azurite.CreateBlobServiceClient().GetBlobContainerClient(container), _time);
    }

    private static CargoManifest Manifest(string voyage = "124E") => new()
    {
        Vessel = new ManifestVessel { Imo = ImoNumber.Parse("9811000"), Name = "MSC EXAMPLE" },
        Voyage = voyage,
        Containers = [new ManifestContainer { ContainerNumber = ContainerNumber.Parse("MSCU1234566"), SizeType = SizeTypeCode.Iso45G1, SealNumbers = ["ML-1"], GrossMassKg = 24_000.5m, FullEmpty = FullEmpty.Full }],
        RejectedContainers = [new ManifestRejectedContainer { ContainerNumber = "MSCU1234567", Error = ContainerNumberError.CheckDigit, Segment = 9 }],
    };

    private static DischargeList List(VesselCall call) => new()
    {
        VesselCall = call,
        Containers = [new DischargedContainer { Row = 1, ContainerNumber = "mscu1234566", DischargedAt = new DateTimeOffset(2026, 11, 26, 3, 2, 0, TimeSpan.FromHours(1)), SizeType = "40HC", SealNumbers = ["ML-1"], GrossMassKg = 24_100m, FullEmpty = FullEmpty.Empty, BillOfLading = "MEDU1" }],
        Findings = [new Core.Manifests.DischargeListFinding("DISCHARGE-GROSS-MASS-INVALID", 2, "grossMassKg", "gross mass 'x' is not a number.") { ContainerNumber = "CMAU4001000" }],
    };

    [Fact]
    public async Task Documents_round_trip_with_every_field_and_list_oldest_first()
    {
        var store = NewStore(out _);
        var manifest = await store.PutManifestAsync(Call, "cuscar:sha256-abc:M1", "broker-a/manifest ü.edi", Manifest(), default);
        _time.Advance(TimeSpan.FromMinutes(5));
        var list = await store.PutDischargeListAsync(Call, "discharge/1", "tos/discharge.csv", List(Call), default);

        var listed = await store.ListAsync(new VesselCall(Call.Imo, "124 e"), default).ToListAsync();
        Assert.Equal([manifest, list], listed);
        Assert.Equal("broker-a/manifest ü.edi", listed[0].Source);
        Assert.Equal(_time.GetUtcNow().AddMinutes(-5), listed[0].ReceivedAt);

        var readManifest = await store.ReadManifestAsync(listed[0], default);
        Assert.Equal(24_000.5m, readManifest.Containers[0].GrossMassKg);
        Assert.Equal("MSCU1234567", readManifest.RejectedContainers![0].ContainerNumber);
        Assert.Equal(ContainerNumberError.CheckDigit, readManifest.RejectedContainers[0].Error);
        var readList = await store.ReadDischargeListAsync(listed[1], default);
        Assert.Equal(Call.Key, readList.VesselCall.Key);
        var written = List(Call).Containers[0];
        Assert.Equal(written, readList.Containers[0] with { SealNumbers = written.SealNumbers });
        Assert.Equal(["ML-1"], readList.Containers[0].SealNumbers);
        Assert.Equal("CMAU4001000", Assert.Single(readList.Findings).ContainerNumber);
    }

    [Fact]
    public async Task The_same_document_id_twice_keeps_the_first_and_returns_its_reference()
    {
        var store = NewStore(out _);
        var first = await store.PutManifestAsync(Call, "doc-1", "first", Manifest(), default);
        _time.Advance(TimeSpan.FromHours(1));
        var second = await store.PutManifestAsync(Call, "doc-1", "second", Manifest() with { Voyage = "999" }, default);

        Assert.Equal(first, second);
        var only = Assert.Single(await store.ListAsync(Call, default).ToListAsync());
        Assert.Equal("first", only.Source);
        Assert.Equal("124E", (await store.ReadManifestAsync(only, default)).Voyage);
    }

    [Fact]
    public async Task Concurrent_puts_of_one_document_store_it_once()
    {
        var store = NewStore(out _);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.PutDischargeListAsync(Call, "same", $"writer-{i}", List(Call), default)));
        Assert.Single(results.Distinct());
        Assert.Single(await store.ListAsync(Call, default).ToListAsync());
    }

    [Fact]
    public async Task A_discharge_list_for_another_call_is_refused()
    {
        var store = NewStore(out _);
        var other = new VesselCall(Call.Imo, "125W");
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutDischargeListAsync(Call, "x", "s", List(other), default));
        Assert.Empty(await store.ListAsync(Call, default).ToListAsync());
    }

    [Fact]
    public async Task Calls_are_kept_apart_and_the_catalog_lists_those_with_a_discharge_list()
    {
        var store = NewStore(out _);
        var other = new VesselCall(Call.Imo, "125W");
        await store.PutManifestAsync(other, "m", "s", Manifest("125W"), default);
        await store.PutManifestAsync(Call, "m", "s", Manifest(), default);
        await store.PutDischargeListAsync(Call, "d", "s", List(Call), default);

        Assert.Single(await store.ListAsync(other, default).ToListAsync());
        Assert.Equal(2, (await store.ListAsync(Call, default).ToListAsync()).Count);
        Assert.Equal([Call.Key], (await store.ListCallsWithDischargeListAsync(default).ToListAsync()).Select(c => c.Key));
    }

    [Fact]
    public async Task Reading_a_reference_as_the_wrong_kind_is_refused()
    {
        var store = NewStore(out _);
        var manifest = await store.PutManifestAsync(Call, "m", "s", Manifest(), default);
        await Assert.ThrowsAsync<ArgumentException>(() => store.ReadDischargeListAsync(manifest, default));
    }

    [Fact]
    public async Task A_completed_discharge_list_leaves_one_pending_marker_until_removed()
    {
        var pending = new BlobPendingReconciliations(azurite.CreateBlobServiceClient().GetBlobContainerClient("pending" + Guid.NewGuid().ToString("N")[..12]));
        await pending.DischargeListCompletedAsync(Call, default);
        await pending.DischargeListCompletedAsync(new VesselCall(Call.Imo, "124 e"), default);
        Assert.Equal([Call.Key], (await pending.ListAsync(default).ToListAsync()).Select(c => c.Key));
        await pending.RemoveAsync(Call, default);
        Assert.Empty(await pending.ListAsync(default).ToListAsync());
    }

    [Fact]
    public async Task Reconciliation_blobs_overwrite_by_name_and_read_back()
    {
        var blobs = new BlobReconciliationBlobs(azurite.CreateBlobServiceClient().GetBlobContainerClient("rb" + Guid.NewGuid().ToString("N")[..12]));
        await blobs.WriteAsync("recon-1/run-1/chunks/000.json", "[1]"u8.ToArray(), "application/json", default);
        await blobs.WriteAsync("recon-1/run-1/chunks/000.json", "[2]"u8.ToArray(), "application/json", default);
        Assert.Equal("[2]"u8.ToArray(), (await blobs.ReadAsync("recon-1/run-1/chunks/000.json", default)).ToArray());
        Assert.EndsWith("/recon-1/run-1/chunks/000.json", blobs.UriOf("recon-1/run-1/chunks/000.json").AbsolutePath, StringComparison.Ordinal);
    }
}
