using BenchmarkDotNet.Running;
using PortCustoms.Benchmarks.Gate;

// Load-test modes for tests/PortCustoms.Benchmarks/gate-load.sh; everything else goes to BenchmarkDotNet.
return args switch
{
    ["gate-limit", ..] => await GateLimitServer.RunAsync(args[1..]).ConfigureAwait(false),
    ["paced", ..] => await PacedLoad.RunAsync(args[1..]).ConfigureAwait(false),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(GateDecisionBenchmarks).Assembly).Run(args);
    return 0;
}
