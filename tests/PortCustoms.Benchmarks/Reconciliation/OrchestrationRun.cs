using System.Diagnostics;
using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.Reconciliation;
using PortCustoms.Functions.Reconciliation;
using PortCustoms.LocalHost;
using PortCustoms.TestSupport;

namespace PortCustoms.Benchmarks.Reconciliation;

/// <summary>
/// One whole orchestration over N containers (default 100 000) on LocalHost's in-process Durable Task host with a
/// private Azurite: the stores written first, then the run timed from schedule to report; wall time and the process's
/// peak working set printed. Run: <c>dotnet run -c Release --project tests/PortCustoms.Benchmarks -- reconcile-orchestration 100000</c>
/// </summary>
internal static class OrchestrationRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync().ConfigureAwait(false);
        try
        {
            var options = new LocalFunctionsHostOptions { Port = 0 };
            options.Settings["AzureWebJobsStorage"] = azurite.ConnectionString;
            options.Settings["Logging:LogLevel:Default"] = "Warning";
            options.Settings["LocalHost:TimerInterval"] = "00:00:00";
            var host = await LocalFunctionsHost.StartAsync(options).ConfigureAwait(false);
            await using (host.ConfigureAwait(false))
            {
                var call = new VesselCall(ImoNumber.Parse("9811000"), "BENCH1");
                var containers = new List<ManifestContainer>(count);
                var rows = new List<DischargedContainer>(count);
                for (var i = 0; i < count; i++)
                {
                    var first = "MSCU" + i.ToString("D6", CultureInfo.InvariantCulture);
                    var number = ContainerNumber.Parse(first + ContainerNumber.ComputeCheckDigit(first).ToString(CultureInfo.InvariantCulture));
                    containers.Add(new ManifestContainer { ContainerNumber = number, SizeType = SizeTypeCode.Iso45G1, SealNumbers = ["S" + i], GrossMassKg = 20_000m, FullEmpty = FullEmpty.Full });
                    if (i % 50 != 0)
                    {
                        rows.Add(new DischargedContainer { Row = rows.Count + 1, ContainerNumber = number.ToString(), DischargedAt = DateTimeOffset.UnixEpoch, SizeType = i % 25 == 1 ? "22G1" : i % 2 == 0 ? "40HC" : "45G1", SealNumbers = ["S" + i], GrossMassKg = 20_100m, FullEmpty = FullEmpty.Full });
                    }
                }
                var store = host.Services.GetRequiredService<IVesselCallDocumentStore>();
                await store.PutManifestAsync(call, "bench-manifest", "bench", new CargoManifest { Vessel = new ManifestVessel { Imo = call.Imo }, Voyage = call.Voyage, Containers = containers }, default).ConfigureAwait(false);
                await store.PutDischargeListAsync(call, "bench-discharge", "bench", new DischargeList { VesselCall = call, Containers = rows }, default).ConfigureAwait(false);
                containers.Clear();
                rows.Clear();
                GC.Collect();

                var client = host.Services.GetRequiredService<DurableTaskClient>();
                var id = ReconciliationRequest.InstanceIdFor(call);
                var watch = Stopwatch.StartNew();
                await client.ScheduleNewOrchestrationInstanceAsync(ReconciliationOrchestration.Name, new ReconciliationRequest
                {
                    VesselImo = call.Imo.ToString(),
                    Voyage = call.Voyage,
                    Deadline = DateTimeOffset.UtcNow.AddHours(1),
                    ResolveUntil = DateTimeOffset.UtcNow.AddHours(1),
                }, new StartOrchestrationOptions(id)).ConfigureAwait(false);
                ReconciliationProgress? progress = null;
                while (progress?.State is not (ReconciliationProgress.Reported or ReconciliationProgress.Failed))
                {
                    await Task.Delay(100).ConfigureAwait(false);
                    progress = (await client.GetInstanceAsync(id, getInputsAndOutputs: true).ConfigureAwait(false))?.ReadCustomStatusAs<ReconciliationProgress>();
                }
                watch.Stop();
                using var self = Process.GetCurrentProcess();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{count} manifested, {count - count / 50} discharged: {progress.State}, {progress.Report?.Total} discrepancies in chunks of 5 000; wall {watch.Elapsed.TotalSeconds:0.0} s; peak working set {self.PeakWorkingSet64 / 1024.0 / 1024.0:0} MB (this process: LocalHost, the Durable host and the test data; Azurite is a child process)"));
                return progress.State == ReconciliationProgress.Reported ? 0 : 1;
            }
        }
        finally
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
        }
    }
}
