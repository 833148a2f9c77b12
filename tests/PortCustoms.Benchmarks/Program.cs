using BenchmarkDotNet.Running;
using PortCustoms.Benchmarks.Batch;
using PortCustoms.Benchmarks.Edifact;
using PortCustoms.Benchmarks.Gate;
using PortCustoms.Benchmarks.Reconciliation;
using PortCustoms.Benchmarks.Xml;

// Scripted measures first (edifact-bench.sh, xml-bench.sh; gate-load.sh's gate-limit and paced modes, table-costs.sh); anything else goes to BenchmarkDotNet.
if (EdifactBenchCommands.TryRun(args, out int exitCode) || BatchBenchCommands.TryRun(args, out exitCode) || XmlBenchCommands.TryRun(args, out exitCode))
{
    return exitCode;
}

switch (args)
{
    case ["gate-limit", ..]:
        return await GateLimitServer.RunAsync(args[1..]).ConfigureAwait(false);
    case ["table-costs", ..]:
        return await TableCostProbe.RunAsync(args[1..]).ConfigureAwait(false);
    case ["paced", ..]:
        return await PacedLoad.RunAsync(args[1..]).ConfigureAwait(false);
    case ["reconcile-orchestration", ..]:
        return await PortCustoms.Benchmarks.Reconciliation.OrchestrationRun.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(ReconciliationBenchmarks).Assembly).Run(args);
return 0;
