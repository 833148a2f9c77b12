using BenchmarkDotNet.Running;
using PortCustoms.Benchmarks.Edifact;

// Scripted measures (edifact-bench.sh) first; anything else goes to BenchmarkDotNet.
if (EdifactBenchCommands.TryRun(args, out int exitCode))
{
    return exitCode;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
