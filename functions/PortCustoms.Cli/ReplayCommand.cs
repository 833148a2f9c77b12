using System.CommandLine;
using System.Text.Json;
using System.Xml;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using PortCustoms.Cloud.Batch;
using PortCustoms.Cloud.Storage;
using Spectre.Console;

namespace PortCustoms.Cli;

/// <summary>
/// <c>portcustoms replay file BROKER/NAME</c> and <c>portcustoms replay files --all</c>: re-drive quarantined files after
/// a fix. The original stays in quarantine; a copy goes back to inbound and through every check again; the ledger records
/// who, when, why and (once processed) the outcome. <c>replay history BROKER</c> shows those records. Exit 0 when every
/// asked replay was queued, 1 when some were refused (each named), 2 on usage errors or when storage cannot be reached.
/// </summary>
public static partial class ReplayCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var storage = new Option<string>("--storage")
        {
            Description = "The app's storage (the ledger): a connection string, or the account's table endpoint https://ACCOUNT.table.core.windows.net with your Azure sign-in. Default: the AzureWebJobsStorage environment variable.",
        };
        var landing = new Option<string?>("--landing")
        {
            Description = "The landing storage (inbound, quarantine): a connection string or https://ACCOUNT.blob.core.windows.net. Default: the same account as --storage.",
        };
        var by = new Option<string>("--by") { Description = "Who replays (recorded in the ledger). Default: the signed-in user name.", DefaultValueFactory = _ => Environment.UserName };
        var reason = new Option<string?>("--reason") { Description = "Why: the fix that makes the replay worth it (recorded in the ledger)." };
        var format = new Option<string>("--format") { Description = "Output: table (default) or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");

        var file = new Argument<string>("file") { Description = "The quarantined file as BROKER/NAME (its name under inbound/)." };
        var one = new Command("file", "Replays one quarantined file.") { file, storage, landing, by, reason, format };
        one.SetAction((parse, ct) => ReplayFileAsync(parse.GetValue(storage), parse.GetValue(landing), parse.GetValue(file)!, parse.GetValue(by)!, parse.GetValue(reason), parse.GetValue(format) == "json", Console.Out, Console.Error, ct));

        var all = new Option<bool>("--all") { Description = "Every file quarantined within --since (required: a bulk replay is never implied)." };
        var broker = new Option<string?>("--broker") { Description = "Only this broker's files." };
        var since = new Option<string>("--since") { Description = "How far back, ISO 8601 (default P7D).", DefaultValueFactory = _ => "P7D" };
        var many = new Command("files", "Replays every quarantined file (of one broker) within a period.") { all, broker, since, storage, landing, by, reason, format };
        many.SetAction((parse, ct) => !parse.GetValue(all)
            ? RefuseAsync("replay files: --all is required (a bulk replay is never implied).")
            : ReplayFilesAsync(parse.GetValue(storage), parse.GetValue(landing), parse.GetValue(broker), parse.GetValue(since)!, parse.GetValue(by)!, parse.GetValue(reason), parse.GetValue(format) == "json", Console.Out, Console.Error, ct));

        var historyBroker = new Argument<string?>("broker") { Description = "The broker whose file replays to list.", Arity = ArgumentArity.ZeroOrOne };
        var historyDeadLetters = new Option<bool>("--dead-letters") { Description = "List the replays of dead-lettered status events instead (of one --container, or all)." };
        var historyContainer = new Option<string?>("--container") { Description = "With --dead-letters: only this container's (the session's) replays." };
        var history = new Command("history", "Lists replays: a broker's files, or with --dead-letters the status events; who, when, why, outcome.") { historyBroker, historyDeadLetters, historyContainer, storage, format };
        history.SetAction((parse, ct) => (parse.GetValue(historyBroker), parse.GetValue(historyDeadLetters)) switch
        {
            (null, true) => DeadLetterHistoryAsync(parse.GetValue(storage), parse.GetValue(historyContainer), parse.GetValue(format) == "json", Console.Out, Console.Error, ct),
            ({ } b, false) => HistoryAsync(parse.GetValue(storage), b, parse.GetValue(format) == "json", Console.Out, Console.Error, ct),
            _ => RefuseAsync("replay history: name a BROKER (file replays) or --dead-letters (status events), not both."),
        });

        return new Command("replay", "Re-drives quarantined files and dead-lettered status events after a fix, with an audit record in the ledger.") { one, many, CreateDeadLetters(storage, by, reason, format), history };
    }

    private static async Task<int> RefuseAsync(string message)
    {
        await Console.Error.WriteLineAsync(message).ConfigureAwait(false);
        return PortCustomsCli.UsageOrFailure;
    }

    public static Task<int> ReplayFileAsync(string? storage, string? landing, string file, string by, string? reason, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(storage, landing, async replayer =>
        {
            var slash = file.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == file.Length - 1)
            {
                throw new ArgumentException($"'{file}' is not BROKER/NAME.");
            }
            var (brokerName, name) = (file[..slash], file[(slash + 1)..]);
            try
            {
                return [(brokerName, name, await replayer.ReplayAsync(brokerName, name, by, reason, cancellationToken).ConfigureAwait(false), null)];
            }
            catch (BatchReplayException ex)
            {
                return [(brokerName, name, null, ex.Message)];
            }
        }, json, stdout, stderr, cancellationToken);

    public static Task<int> ReplayFilesAsync(string? storage, string? landing, string? broker, string since, string by, string? reason, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(storage, landing, async replayer =>
        {
            var back = XmlConvert.ToTimeSpan(since);
            return await replayer.ReplayAllAsync(broker, DateTimeOffset.UtcNow - back, by, reason, cancellationToken: cancellationToken).ConfigureAwait(false);
        }, json, stdout, stderr, cancellationToken);

    private static async Task<int> RunAsync(
        string? storage, string? landing, Func<BatchReplayer, Task<IReadOnlyList<(string Broker, string Name, BatchReplayRecord? Replay, string? Error)>>> replay,
        bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        IReadOnlyList<(string Broker, string Name, BatchReplayRecord? Replay, string? Error)> results;
        try
        {
            var (ledger, blobs) = Connect(storage, landing);
            results = await replay(new BatchReplayer(new BatchLandingStorage(blobs), ledger, TimeProvider.System)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or RequestFailedException or AuthenticationFailedException or AggregateException)
        {
            await stderr.WriteLineAsync($"replay: {ex.Message}").ConfigureAwait(false);
            return PortCustomsCli.UsageOrFailure;
        }

        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(results.Select(r => new
            {
                broker = r.Broker,
                name = r.Name,
                replayed = r.Replay is not null,
                replayId = r.Replay?.ReplayId,
                of = r.Replay?.Of,
                by = r.Replay?.By,
                error = r.Error,
            }), Json)).ConfigureAwait(false);
        }
        else
        {
            var table = new Table().AddColumns("broker", "file", "replay", "detail");
            foreach (var (broker, name, record, error) in results)
            {
                table.AddRow(Markup.Escape(broker), Markup.Escape(name), record is null ? "[red]refused[/]" : "queued", Markup.Escape(error ?? $"copy of {record!.Of}, id {record.ReplayId}"));
            }
            Files.ReportWriter.Console(stdout).Write(table);
            await stdout.WriteLineAsync($"{results.Count(r => r.Replay is not null)} replayed, {results.Count(r => r.Replay is null)} refused.").ConfigureAwait(false);
        }
        return results.All(r => r.Replay is not null) ? PortCustomsCli.Success : PortCustomsCli.Findings;
    }

    public static async Task<int> HistoryAsync(string? storage, string broker, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        IReadOnlyList<BatchReplayRecord> replays;
        try
        {
            replays = await Connect(storage, null).Ledger.ListReplaysAsync(broker, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or RequestFailedException or AuthenticationFailedException or AggregateException)
        {
            await stderr.WriteLineAsync($"replay: {ex.Message}").ConfigureAwait(false);
            return PortCustomsCli.UsageOrFailure;
        }
        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(replays, Json)).ConfigureAwait(false);
            return PortCustomsCli.Success;
        }
        var table = new Table().AddColumns("file", "requested", "by", "reason", "outcome", "destination");
        foreach (var r in replays)
        {
            table.AddRow(Markup.Escape(r.Name), r.RequestedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(r.By), Markup.Escape(r.Reason ?? string.Empty), Markup.Escape(r.Outcome), Markup.Escape(r.Destination ?? string.Empty));
        }
        Files.ReportWriter.Console(stdout).Write(table);
        return PortCustomsCli.Success;
    }

    private static (BatchLedger Ledger, BlobServiceClient Blobs) Connect(string? storage, string? landing)
    {
        var app = AppStorage(storage);
        var landingStorage = landing is null ? app : StorageConnection.FromConnectionStringOrEndpoint(landing, "--landing");
        return (new BatchLedger(app.CreateTableServiceClient()), landingStorage.CreateBlobServiceClient());
    }

    /// <summary>The app's storage (the ledger) from <c>--storage</c> or <c>AzureWebJobsStorage</c>, through the app's one way of naming storage.</summary>
    private static StorageConnection AppStorage(string? storage)
    {
        storage ??= Environment.GetEnvironmentVariable("AzureWebJobsStorage");
        if (string.IsNullOrWhiteSpace(storage))
        {
            throw new ArgumentException("--storage is required (or set AzureWebJobsStorage).");
        }
        return StorageConnection.FromConnectionStringOrEndpoint(storage);
    }
}
