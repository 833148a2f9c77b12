using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Security;

namespace PortCustoms.Cloud.Security;

/// <summary>
/// Refused customs notifications kept for audit in the blob container <c>refused-notifications</c> of the app's
/// storage: one blob each, its content the original bytes untouched, written once (never overwritten), named by the
/// day it came and a fresh id; the code, reason, caller, time and signature header as blob metadata (escaped: metadata
/// is ASCII).
/// </summary>
public sealed class BlobRefusedNotificationStore(BlobContainerClient container) : IRefusedNotificationStore
{
    public const string DefaultContainerName = "refused-notifications";

    private int _created;

    public BlobContainerClient Container { get; } = container ?? throw new ArgumentNullException(nameof(container));

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _created, 1);
        }
    }

    public async Task<string> KeepAsync(RefusedNotification refused, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refused);
        await CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        var extension = refused.MediaType switch { "application/json" => ".json", "application/xml" => ".xml", _ => ".edi" };
        var name = string.Create(CultureInfo.InvariantCulture, $"{refused.ReceivedAt.UtcDateTime:yyyy/MM/dd}/{refused.ReceivedAt.UtcDateTime:HHmmss}-{Guid.NewGuid():N}{extension}");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["code"] = refused.Code,
            ["reason"] = Uri.EscapeDataString(refused.Reason),
            ["caller"] = Uri.EscapeDataString(refused.Caller),
            ["receivedAt"] = refused.ReceivedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        };
        if (!string.IsNullOrEmpty(refused.Signature))
        {
            // A JWS is base64url and dots; bounded so that metadata stays under its 8 KiB.
            metadata["signature"] = Uri.EscapeDataString(refused.Signature.Length <= 4096 ? refused.Signature : refused.Signature[..4096]);
        }
        await Container.GetBlobClient(name).UploadAsync(new BinaryData(refused.Body), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = refused.MediaType },
            Metadata = metadata,
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        }, cancellationToken).ConfigureAwait(false);
        return name;
    }
}

/// <summary>Creates the audit container at start when signatures are required, so the first refusal does not pay for it. Failures only log: the first refusal creates it.</summary>
public sealed partial class RefusedNotificationsWarmup(BlobRefusedNotificationStore store, IOptions<InboundSignatureOptions> options, ILogger<RefusedNotificationsWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsRequired)
        {
            return;
        }
        try
        {
            await store.CreateIfNotExistsAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogNotCreated(logger, ex, store.Container.Name);
        }
    }

    [LoggerMessage(EventId = 3052, Level = LogLevel.Warning, Message = "The audit container {Container} could not be created at start; the first refused notification will try again.")]
    private static partial void LogNotCreated(ILogger logger, Exception exception, string container);
}
