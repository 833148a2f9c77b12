using BenchmarkDotNet.Running;
using PortCustoms.Benchmarks.Edifact;
using PortCustoms.Benchmarks.Gate;

// Scripted measures first (edifact-bench.sh, gate-load.sh); anything else goes to BenchmarkDotNet.
if (EdifactBenchCommands.TryRun(args, out int exitCode))
{
    return exitCode;
}

return args switch
{
    ["gate-limit", ..] => await GateLimitServer.RunAsync(args[1..]).ConfigureAwait(false),
    ["paced", ..] => await PacedLoad.RunAsync(args[1..]).ConfigureAwait(false),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
