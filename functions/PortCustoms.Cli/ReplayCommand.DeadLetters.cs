using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using PortCustoms.Cloud.Events;
using PortCustoms.Cloud.Messaging;
using PortCustoms.Core.Events;
using Spectre.Console;

namespace PortCustoms.Cli;

/// <summary>
/// <c>portcustoms replay dead-letters</c>: lists (<c>--list</c>) and re-drives dead-lettered status events, one
/// (<c>--message-id</c>) or all (<c>--all</c>, of one <c>--container</c> or every one), from Service Bus's dead-letter
/// sub-queue (<c>--servicebus</c>) or LocalHost's durable queue (the default, on <c>--storage</c>). The logic is
/// <see cref="DeadLetterReplayer"/>'s; each replay is a row in the ledger (<c>replay history --dead-letters</c>).
/// Exit 0 when every asked replay was done (or nothing was dead-lettered), 1 when one was refused or not found
/// (each named), 2 on usage errors or when storage or Service Bus cannot be reached.
/// </summary>
public static partial class ReplayCommand
{
    private static Command CreateDeadLetters(Option<string> storage, Option<string> by, Option<string?> reason, Option<string> format)
    {
        var container = new Option<string?>("--container") { Description = "Only this container's dead letters (its session)." };
        var messageId = new Option<string?>("--message-id") { Description = "Replay this dead letter (its message id: the event id, as --list shows)." };
        var all = new Option<bool>("--all") { Description = "Replay every dead letter (of --container): a bulk replay is never implied." };
        var list = new Option<bool>("--list") { Description = "List the dead letters and their replays; replays nothing." };
        var serviceBus = new Option<string?>("--servicebus")
        {
            Description = "The app's Service Bus: a namespace (NAME.servicebus.windows.net, with your Azure sign-in) or a connection string. Default: LocalHost's queue in --storage.",
        };
        var queue = new Option<string>("--queue") { Description = "The status-event queue (Service Bus) or LocalHost's queue table.", DefaultValueFactory = _ => string.Empty };
        var command = new Command("dead-letters", "Lists and replays dead-lettered status events (Service Bus dead-letter sub-queue, or LocalHost's queue).")
        {
            container, messageId, all, list, serviceBus, queue, storage, by, reason, format,
        };
        command.SetAction((parse, ct) =>
        {
            var json = parse.GetValue(format) == "json";
            var source = new DeadLetterConnection(parse.GetValue(storage), parse.GetValue(serviceBus), parse.GetValue(queue));
            return (parse.GetValue(list), parse.GetValue(messageId), parse.GetValue(all)) switch
            {
                (true, null, false) => ListDeadLettersAsync(source, parse.GetValue(container), json, Console.Out, Console.Error, ct),
                (false, { } id, false) => ReplayDeadLetterAsync(source, parse.GetValue(container), id, parse.GetValue(by)!, parse.GetValue(reason), json, Console.Out, Console.Error, ct),
                (false, null, true) => ReplayDeadLettersAsync(source, parse.GetValue(container), parse.GetValue(by)!, parse.GetValue(reason), json, Console.Out, Console.Error, ct),
                _ => RefuseAsync("replay dead-letters: give one of --list, --message-id ID or --all (a bulk replay is never implied)."),
            };
        });
        return command;
    }

    /// <summary>Where the dead letters are: Service Bus when <see cref="ServiceBus"/> is given, else LocalHost's queue in <see cref="Storage"/>.</summary>
    public sealed record DeadLetterConnection(string? Storage, string? ServiceBus = null, string? Queue = null);

    public static async Task<int> ListDeadLettersAsync(DeadLetterConnection connection, string? container, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        IReadOnlyList<(DeadLetteredMessage Letter, DeadLetterReplayRecord? Replay)> letters;
        try
        {
            letters = await (await ConnectDeadLettersAsync(connection).ConfigureAwait(false)).ListAsync(container, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (CannotRun(ex))
        {
            await stderr.WriteLineAsync($"replay: {ex.Message}").ConfigureAwait(false);
            return PortCustomsCli.UsageOrFailure;
        }
        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(letters.Select(l => new
            {
                container = l.Letter.SessionId,
                messageId = l.Letter.MessageId,
                sequence = l.Letter.SequenceNumber,
                reason = l.Letter.Reason,
                description = l.Letter.Description,
                deliveryCount = l.Letter.DeliveryCount,
                enqueuedAt = l.Letter.EnqueuedTime,
                replay = l.Replay is null ? null : new { replayId = l.Replay.ReplayId, state = l.Replay.State.ToString(), by = l.Replay.By, requestedAt = l.Replay.RequestedAt },
            }), Json)).ConfigureAwait(false);
            return PortCustomsCli.Success;
        }
        var table = new Table().AddColumns("container", "message id", "reason", "deliveries", "enqueued", "replay");
        foreach (var (letter, replay) in letters)
        {
            table.AddRow(
                Markup.Escape(letter.SessionId), Markup.Escape(letter.MessageId), Markup.Escape($"{letter.Reason}: {letter.Description}"),
                letter.DeliveryCount.ToString(CultureInfo.InvariantCulture), letter.EnqueuedTime?.ToString("u", CultureInfo.InvariantCulture) ?? string.Empty,
                Markup.Escape(replay is null ? string.Empty : $"{replay.State} {replay.ReplayId} by {replay.By}"));
        }
        Files.ReportWriter.Console(stdout).Write(table);
        await stdout.WriteLineAsync($"{letters.Count} dead-lettered.").ConfigureAwait(false);
        return PortCustomsCli.Success;
    }

    public static Task<int> ReplayDeadLetterAsync(DeadLetterConnection connection, string? container, string messageId, string by, string? reason, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunDeadLettersAsync(connection, async replayer => [await replayer.ReplayAsync(container, messageId, by, reason, cancellationToken).ConfigureAwait(false)], json, stdout, stderr);

    public static Task<int> ReplayDeadLettersAsync(DeadLetterConnection connection, string? container, string by, string? reason, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunDeadLettersAsync(connection, replayer => replayer.ReplayAllAsync(container, by, reason, cancellationToken: cancellationToken), json, stdout, stderr);

    private static async Task<int> RunDeadLettersAsync(DeadLetterConnection connection, Func<DeadLetterReplayer, Task<IReadOnlyList<DeadLetterReplayResult>>> replay, bool json, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        IReadOnlyList<DeadLetterReplayResult> results;
        try
        {
            results = await replay(await ConnectDeadLettersAsync(connection).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception ex) when (CannotRun(ex))
        {
            await stderr.WriteLineAsync($"replay: {ex.Message}").ConfigureAwait(false);
            return PortCustomsCli.UsageOrFailure;
        }
        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(results.Select(r => new
            {
                container = r.SessionId,
                messageId = r.MessageId,
                replayed = r.Replayed,
                replayId = r.Replay?.ReplayId,
                replayMessageId = r.Replay?.ReplayMessageId,
                state = r.Replay?.State.ToString(),
                by = r.Replay?.By,
                error = r.Error,
            }), Json)).ConfigureAwait(false);
        }
        else
        {
            var table = new Table().AddColumns("container", "message id", "replay", "detail");
            foreach (var r in results)
            {
                table.AddRow(Markup.Escape(r.SessionId ?? string.Empty), Markup.Escape(r.MessageId), r.Replayed ? "replayed" : "[red]refused[/]",
                    Markup.Escape(r.Error ?? $"re-sent as {r.Replay!.ReplayMessageId}, id {r.Replay.ReplayId}"));
            }
            Files.ReportWriter.Console(stdout).Write(table);
            await stdout.WriteLineAsync(results.Count == 0
                ? "Nothing to replay: no dead-lettered status events."
                : $"{results.Count(r => r.Replayed)} replayed, {results.Count(r => !r.Replayed)} refused.").ConfigureAwait(false);
        }
        foreach (var refused in results.Where(r => !r.Replayed))
        {
            await stderr.WriteLineAsync($"replay: {refused.Error}").ConfigureAwait(false);
        }
        return results.All(r => r.Replayed) ? PortCustomsCli.Success : PortCustomsCli.Findings;
    }

    public static async Task<int> DeadLetterHistoryAsync(string? storage, string? container, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        IReadOnlyList<DeadLetterReplayRecord> replays;
        try
        {
            replays = await new TableDeadLetterReplayLedger(AppStorage(storage).CreateTableServiceClient()).ListAsync(container, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (CannotRun(ex))
        {
            await stderr.WriteLineAsync($"replay: {ex.Message}").ConfigureAwait(false);
            return PortCustomsCli.UsageOrFailure;
        }
        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(replays.Select(r => new
            {
                container = r.SessionId,
                messageId = r.MessageId,
                replayId = r.ReplayId,
                replayMessageId = r.ReplayMessageId,
                by = r.By,
                reason = r.Reason,
                requestedAt = r.RequestedAt,
                outcome = r.State.ToString(),
                deadLetterReason = r.DeadLetterReason,
                detail = r.Detail,
                settledAt = r.SettledAt,
            }), Json)).ConfigureAwait(false);
            return PortCustomsCli.Success;
        }
        var table = new Table().AddColumns("container", "message id", "requested", "by", "reason", "outcome", "detail");
        foreach (var r in replays)
        {
            table.AddRow(Markup.Escape(r.SessionId), Markup.Escape(r.MessageId), r.RequestedAt.ToString("u", CultureInfo.InvariantCulture), Markup.Escape(r.By),
                Markup.Escape(r.Reason ?? string.Empty), Markup.Escape(r.State.ToString()), Markup.Escape(r.Detail ?? string.Empty));
        }
        Files.ReportWriter.Console(stdout).Write(table);
        return PortCustomsCli.Success;
    }

    private static Task<DeadLetterReplayer> ConnectDeadLettersAsync(DeadLetterConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tables = AppStorage(connection.Storage).CreateTableServiceClient();
        DeadLetterSource source;
        if (!string.IsNullOrWhiteSpace(connection.ServiceBus))
        {
            var isConnectionString = connection.ServiceBus.Contains("Endpoint=", StringComparison.OrdinalIgnoreCase);
            var options = new ServiceBusEventQueueOptions
            {
                FullyQualifiedNamespace = isConnectionString ? null : connection.ServiceBus,
                ConnectionString = isConnectionString ? connection.ServiceBus : null,
            };
            if (!string.IsNullOrEmpty(connection.Queue))
            {
                options.QueueName = connection.Queue;
            }
            source = ServiceBusDeadLetters.Create(ContainerEventsServiceCollectionExtensions.CreateServiceBusClient(options), options.QueueName);
        }
        else
        {
            var table = string.IsNullOrEmpty(connection.Queue) ? new TableSessionQueueOptions().TableName : connection.Queue;
            source = new TableSessionQueueDeadLetters(new TableSessionQueue(tables.GetTableClient(table), TimeSpan.FromSeconds(30)));
        }
        return Task.FromResult(new DeadLetterReplayer(source, new TableDeadLetterReplayLedger(tables), new TablePendingDeliveryStore(tables), TimeProvider.System));
    }

    private static bool CannotRun(Exception ex) =>
        ex is ArgumentException or FormatException or InvalidOperationException or RequestFailedException or AuthenticationFailedException or AggregateException
            or ServiceBusException or UnauthorizedAccessException or DecoderFallbackException;
}
