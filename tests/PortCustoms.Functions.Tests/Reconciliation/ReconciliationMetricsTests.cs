using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.Reconciliation;
using PortCustoms.Functions.Reconciliation;

namespace PortCustoms.Functions.Tests.Reconciliation;

public sealed class ReconciliationMetricsTests
{
    private static (ReconciliationMetrics Metrics, List<(string Instrument, long Value, string? Kind)> Seen, MeterListener Listener, ServiceProvider Services) Create()
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new ReconciliationMetrics(services.GetRequiredService<IMeterFactory>());
        var seen = new List<(string, long, string?)>();
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ReconciliationMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? kind = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "kind")
                {
                    kind = tag.Value as string;
                }
            }
            lock (seen)
            {
                seen.Add((instrument.Name, value, kind));
            }
        });
        listener.Start();
        return (metrics, seen, listener, services);
    }

    [Fact]
    public void Reported_CriticalKinds_RaiseTheAlertCounterOthersOnlyTheCount()
    {
        var (metrics, seen, listener, services) = Create();
        using (services)
        using (listener)
        using (metrics)
        {
            var found = new ManifestMatcher().Match(
                [new ManifestedContainer { ContainerNumber = "MSCU1234566", Source = "m", FullEmpty = FullEmpty.Full }, new ManifestedContainer { ContainerNumber = "CMAU4001000", Source = "m" }],
                [new DischargedContainer { Row = 1, ContainerNumber = "MSCU1234566", FullEmpty = FullEmpty.Empty }]);
            metrics.Reported(ReconciliationReport.Assemble(new VesselCall(ImoNumber.Parse("9811000"), "1"), found, [], 2, 1, DateTimeOffset.UnixEpoch));

            Assert.Contains(("portcustoms.reconciliation.critical_alerts", 1L, "SHORT-LANDED"), seen);
            Assert.DoesNotContain(seen, s => s.Instrument == "portcustoms.reconciliation.critical_alerts" && s.Kind == "FULL-EMPTY-MISMATCH");
            Assert.Contains(("portcustoms.reconciliation.discrepancies", 1L, "FULL-EMPTY-MISMATCH"), seen);
        }
    }

    [Fact]
    public void DeadlineMissed_CountsOne()
    {
        var (metrics, seen, listener, services) = Create();
        using (services)
        using (listener)
        using (metrics)
        {
            metrics.DeadlineMissed("9811000-1");
            Assert.Equal([("portcustoms.reconciliation.deadlines_missed", 1L, (string?)null)], seen);
        }
    }
}
