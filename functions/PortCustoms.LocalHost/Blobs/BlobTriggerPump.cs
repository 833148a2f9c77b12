using System.Text;
using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PortCustoms.LocalHost.Functions;

namespace PortCustoms.LocalHost.Blobs;

/// <summary>
/// Feeds <c>[BlobTrigger]</c> functions from storage (Azurite locally) by watching their containers. In Azure the
/// trigger's source is Event Grid; here a poll stands in for the event. Each blob version (name + ETag) is handed to the
/// function once: a receipt blob is created with If-None-Match: * before the call, so two hosts never both take it.
/// </summary>
internal sealed partial class BlobTriggerPump(
    IReadOnlyList<FunctionDescriptor> functions,
    IConfiguration configuration,
    IServiceProvider services,
    ILogger<BlobTriggerPump> logger) : BackgroundService
{
    internal const string ReceiptContainer = "localhost-blob-receipts";
    private const int MaxAttempts = 5;

    private TimeSpan PollInterval => configuration.GetValue("LocalHost:BlobPollInterval", TimeSpan.FromSeconds(1));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watchers = functions.Where(f => f.Trigger == TriggerKind.Blob).Select(CreateWatcher).ToList();
        if (watchers.Count == 0)
        {
            return;
        }
        var ready = new HashSet<Watcher>();
        using var timer = new PeriodicTimer(PollInterval);
        do
        {
            foreach (var watcher in watchers)
            {
                try
                {
                    // Created on the first poll that reaches storage: storage down at start must not stop the host.
                    if (!ready.Contains(watcher))
                    {
                        await watcher.Container.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                        await watcher.Receipts.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                        LogWatching(logger, watcher.Invoker.Function.Name, watcher.Container.Name);
                        ready.Add(watcher);
                    }
                    await PollAsync(watcher, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is RequestFailedException or System.Net.Http.HttpRequestException or AggregateException { InnerExceptions: [RequestFailedException, ..] })
                {
                    LogPollFailed(logger, watcher.Invoker.Function.Name, ex);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task PollAsync(Watcher watcher, CancellationToken cancellationToken)
    {
        await foreach (var item in watcher.Container.GetBlobsAsync(new GetBlobsOptions { Prefix = watcher.Prefix }, cancellationToken).ConfigureAwait(false))
        {
            var match = watcher.Pattern.Match(item.Name);
            if (!match.Success)
            {
                continue;
            }
            var receipt = watcher.Receipts.GetBlobClient($"{watcher.Invoker.Function.Name}/{watcher.Container.Name}/{item.Name}/{item.Properties.ETag?.ToString().Trim('"')}");
            try
            {
                await receipt.UploadAsync(BinaryData.FromString(DateTimeOffset.UtcNow.ToString("O")),
                    new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                continue; // Already handed over (by this host earlier, or by another).
            }
            var names = watcher.Pattern.GetGroupNames().Where(n => !int.TryParse(n, out _))
                .ToDictionary(n => n, n => (string?)match.Groups[n].Value, StringComparer.OrdinalIgnoreCase);
            await HandOverAsync(watcher, item.Name, names, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandOverAsync(Watcher watcher, string blobName, Dictionary<string, string?> names, CancellationToken cancellationToken)
    {
        var blob = watcher.Container.GetBlobClient(blobName);
        for (var attempt = 1; ; attempt++)
        {
            var scope = services.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                try
                {
                    var value = await BindAsync(blob, watcher.Invoker.Function.TriggerParameter.ParameterType, cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await watcher.Invoker.InvokeAsync(new InvocationValues(scope.ServiceProvider, cancellationToken) { TriggerValue = value, NamedValues = names }).ConfigureAwait(false);
                    }
                    finally
                    {
                        (value as IDisposable)?.Dispose();
                    }
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException && attempt < MaxAttempts)
                {
                    LogAttemptFailed(logger, watcher.Invoker.Function.Name, blobName, attempt, ex);
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // As the Functions runtime does after its retries: give up on this blob and say so loudly.
                    LogPoison(logger, watcher.Invoker.Function.Name, blobName, MaxAttempts, ex);
                    return;
                }
            }
        }
    }

    private static async Task<object> BindAsync(BlobClient blob, Type type, CancellationToken cancellationToken)
    {
        if (type == typeof(BlobClient))
        {
            return blob;
        }
        if (type == typeof(Stream))
        {
            return await blob.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        var content = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        if (type == typeof(byte[]))
        {
            return content.ToArray();
        }
        if (type == typeof(BinaryData))
        {
            return content;
        }
        if (type == typeof(string))
        {
            return Encoding.UTF8.GetString(content);
        }
        throw new LocalHostBindingException($"A blob cannot be bound to {type.Name}.");
    }

    internal static void EnsureBindable(FunctionDescriptor function)
    {
        var type = function.TriggerParameter.ParameterType;
        if (type != typeof(BlobClient) && type != typeof(Stream) && type != typeof(byte[]) && type != typeof(BinaryData) && type != typeof(string))
        {
            throw new LocalHostBindingException($"PortCustoms.LocalHost cannot bind blob trigger of {function.Name} to {type.Name} (Stream, byte[], string, BinaryData and BlobClient are hosted).");
        }
    }

    private Watcher CreateWatcher(FunctionDescriptor function)
    {
        var trigger = (BlobTriggerAttribute)function.TriggerAttribute;
        var (container, pattern, prefix, names) = ParsePath(trigger.BlobPath);
        var invoker = new FunctionInvoker(function, names);
        var client = new BlobServiceClient(ResolveConnection(configuration, trigger.Connection));
        return new Watcher(invoker, client.GetBlobContainerClient(container), client.GetBlobContainerClient(ReceiptContainer), pattern, prefix);
    }

    /// <summary>The storage a blob trigger's <c>Connection</c> names, falling back to AzureWebJobsStorage as the runtime does.</summary>
    internal static string ResolveConnection(IConfiguration configuration, string? connection)
    {
        var value = string.IsNullOrEmpty(connection) ? null : configuration[connection] ?? configuration[$"AzureWebJobs{connection}"];
        return value ?? configuration["AzureWebJobsStorage"]
            ?? throw new InvalidOperationException($"No storage connection for '{connection ?? "AzureWebJobsStorage"}'.");
    }

    /// <summary>Splits <c>inbound/{broker}/{name}</c> into the container, a matcher for the blob name, its fixed prefix and names.</summary>
    internal static (string Container, Regex Pattern, string Prefix, IReadOnlySet<string> Names) ParsePath(string blobPath)
    {
        var slash = blobPath.IndexOf('/', StringComparison.Ordinal);
        var container = slash < 0 ? blobPath : blobPath[..slash];
        var path = slash < 0 ? "{name}" : blobPath[(slash + 1)..];
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var regex = new StringBuilder("^");
        var position = 0;
        var placeholders = PathParameter().Matches(path);
        for (var i = 0; i < placeholders.Count; i++)
        {
            var m = placeholders[i];
            regex.Append(Regex.Escape(path[position..m.Index]));
            var name = m.Groups[1].Value;
            names.Add(name);
            // The last placeholder may span folders (blob names carry '/'); the others stop at one.
            regex.Append("(?<").Append(name).Append('>').Append(i == placeholders.Count - 1 ? ".+" : "[^/]+").Append(')');
            position = m.Index + m.Length;
        }
        regex.Append(Regex.Escape(path[position..])).Append('$');
        var prefix = placeholders.Count > 0 ? path[..placeholders[0].Index] : path;
        return (container, new Regex(regex.ToString(), RegexOptions.CultureInvariant), prefix, names);
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex PathParameter();

    private sealed record Watcher(FunctionInvoker Invoker, BlobContainerClient Container, BlobContainerClient Receipts, Regex Pattern, string Prefix);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Blob trigger {FunctionName} watches container '{Container}'.")]
    private static partial void LogWatching(ILogger logger, string functionName, string container);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Blob trigger {FunctionName} could not poll storage.")]
    private static partial void LogPollFailed(ILogger logger, string functionName, Exception exception);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "Blob trigger {FunctionName} failed on '{BlobName}' (attempt {Attempt}); retrying.")]
    private static partial void LogAttemptFailed(ILogger logger, string functionName, string blobName, int attempt, Exception exception);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Error, Message = "Blob trigger {FunctionName} gave up on '{BlobName}' after {Attempts} attempts.")]
    private static partial void LogPoison(ILogger logger, string functionName, string blobName, int attempts, Exception exception);
}
