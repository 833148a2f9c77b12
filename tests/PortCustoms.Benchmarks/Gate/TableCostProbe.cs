using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using PortCustoms.Cloud.Gate;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;

namespace PortCustoms.Benchmarks.Gate;

/// <summary>
/// What each kind of Table Storage operation costs the storage process, in CPU milliseconds per gate decision (read from
/// /proc for the given pid; table-costs.sh starts a fresh Azurite for it). The gate's throughput target leaves room for
/// about a quarter of a point read on top of the read itself; this shows which ways of storing each decision fit in it:
/// one conditional insert per decision (today), entity-group batches of per-decision entities (group commit, in a shared
/// partition as idempotency needs, or a fresh one as a lower bound), and one "page" entity holding many decisions (no
/// per-decision key, so no idempotency).
/// </summary>
internal static class TableCostProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        var storage = GateLimitServer.Arg(args, "--storage") ?? throw new ArgumentException("--storage CONNECTION_STRING is required.");
        var pid = int.Parse(GateLimitServer.Arg(args, "--pid") ?? throw new ArgumentException("--pid (the storage process) is required."), CultureInfo.InvariantCulture);
        var decisions = int.Parse(GateLimitServer.Arg(args, "--decisions") ?? "6000", CultureInfo.InvariantCulture);
        const int Concurrency = 16;

        var service = new TableServiceClient(storage);
        var states = new TableCustomsStateStore(service, NullLogger<TableCustomsStateStore>.Instance);
        var container = ContainerNumber.Parse("MSCU1234566");
        await states.AddNotificationAsync(GateLimitServer.Released(container));
        var state = (await states.GetStateAsync(container))!;
        var table = service.GetTableClient("TableCostProbe");
        await table.CreateIfNotExistsAsync();
        var ticksPerSecond = 100.0; // USER_HZ on Linux
        var run = Guid.NewGuid().ToString("N")[..8];

        // The gate's own audit entity, as TableGateDecisionStore writes it, re-keyed per measurement.
        TableEntity Audit(string partition, string row)
        {
            var entity = TableGateDecisionStore.ToEntity(Record(state, $"{partition}/{row}"));
            entity.PartitionKey = partition;
            entity.RowKey = row;
            return entity;
        }

        async Task Measure(string? label, int operations, int decisionsPerOperation, Func<int, Task> operation)
        {
            var before = CpuMilliseconds(pid, ticksPerSecond);
            var clock = Stopwatch.StartNew();
            var next = -1;
            var workers = Enumerable.Range(0, Concurrency).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < operations; i = Interlocked.Increment(ref next))
                {
                    await operation(i);
                }
            });
            await Task.WhenAll(workers);
            var spent = CpuMilliseconds(pid, ticksPerSecond) - before;
            if (label is null)
            {
                return;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label,-68} {spent / (operations * decisionsPerOperation),6:F3} ms storage CPU per decision  ({operations * decisionsPerOperation / clock.Elapsed.TotalSeconds,6:F0} decisions/s)"));
        }

        // Warm both processes' JIT first (Azurite's first thousands of requests cost several times the steady state).
        await Measure(null, 3000, 1, _ => states.GetStateAsync(container));
        await Measure(null, 3000, 1, i => table.AddEntityAsync(Audit($"{run}-warm-{i}", "NLRTM-ECT")));
        await Measure(null, 100, 10, i => table.SubmitTransactionAsync(Enumerable.Range(0, 10).Select(j => new TableTransactionAction(TableTransactionActionType.Add, Audit($"{run}-warm-batch-{i}", $"{j}")))));

        Console.WriteLine($"{decisions} decisions per line, {Concurrency} in flight, storage process {pid}:");
        await Measure("state point read (the limit's one operation)", decisions, 1,
            _ => states.GetStateAsync(container));
        await Measure("audit insert, one per decision, own partition (today)", decisions, 1,
            i => table.AddEntityAsync(Audit($"{run}-single-{i}", "NLRTM-ECT")));
        foreach (var batch in new[] { 10, 25, 50 })
        {
            await Measure($"group commit: batches of {batch} audit inserts, one shared partition", decisions / batch, batch,
                i => table.SubmitTransactionAsync(Enumerable.Range(0, batch).Select(j => new TableTransactionAction(TableTransactionActionType.Add, Audit($"{run}-shared-{batch}", $"{i}-{j}")))));
            await Measure($"  lower bound: the same batches, a fresh partition each", decisions / batch, batch,
                i => table.SubmitTransactionAsync(Enumerable.Range(0, batch).Select(j => new TableTransactionAction(TableTransactionActionType.Add, Audit($"{run}-fresh-{batch}-{i}", $"{j}")))));
        }
        foreach (var page in new[] { 25, 50 })
        {
            var records = string.Join(",", Enumerable.Range(0, page).Select(_ => Audit("p", "r").GetString("KnownState")));
            await Measure($"one page entity of {page} decisions (no idempotency key)", decisions / page, page,
                i => table.AddEntityAsync(new TableEntity($"{run}-page-{page}", i.ToString(CultureInfo.InvariantCulture)) { ["Records"] = "[" + records + "]" }));
        }
        return 0;
    }

    private static GateDecisionRecord Record(ContainerCustomsState state, string transaction)
    {
        var verdict = ReleaseDecision.Decide(state);
        var decidedAt = DateTimeOffset.UtcNow;
        return new GateDecisionRecord
        {
            Query = new GateQuery { ContainerNumber = state.ContainerNumber, Direction = GateDirection.Out, GateTransactionId = transaction, Terminal = "NLRTM-ECT", Caller = "anonymous" },
            Answer = new GateAnswer
            {
                ContainerNumber = state.ContainerNumber,
                Decision = verdict.Decision,
                Reason = verdict.Reason,
                DecisionId = Guid.CreateVersion7(decidedAt).ToString(),
                CustomsReference = verdict.CustomsReference,
                Source = DecisionSource.Store,
                DecidedAt = decidedAt,
            },
            Rule = verdict.Rule,
            KnownState = state,
        };
    }

    private static double CpuMilliseconds(int pid, double ticksPerSecond)
    {
        // /proc/PID/stat: fields 14 and 15 (1-based) are user and system time in clock ticks, after "(comm)".
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) * 1000 / ticksPerSecond;
    }
}
