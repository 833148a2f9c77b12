using System.CommandLine;
using PortCustoms.Cli.Simulator;

namespace PortCustoms.Cli;

/// <summary>The <c>portcustoms</c> command tree. Exit codes (contracts/cli.md): 0 success, 1 invalid input or findings, 2 usage or could not run.</summary>
public static class PortCustomsCli
{
    public const int Success = 0;
    public const int Findings = 1;
    public const int UsageOrFailure = 2;

    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("PortCustoms operator's tool: validate, translate and reconcile files, compare channels during parallel running, replay quarantined files, simulate a customs platform.");
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(TranslateCommand.Create());
        root.Subcommands.Add(ReconcileCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(SimulateCustomsCommand.Create());
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var root = BuildRootCommand();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
            }
            return UsageOrFailure;
        }
        return await parse.InvokeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
