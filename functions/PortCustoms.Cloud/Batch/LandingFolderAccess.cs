using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Batch;

namespace PortCustoms.Cloud.Batch;

/// <summary>One folder's access control list on the landing account, in the Data Lake short form.</summary>
public sealed record LandingFolderAcl(string FileSystem, string Path, string Acl)
{
    public string Target => Path.Length == 0 ? $"{FileSystem}/" : $"{FileSystem}/{Path}";
}

/// <summary>
/// Keeps each broker's SFTP user in its own folders. Container permission scopes of SFTP local users are
/// container-wide, so the infrastructure grants them listing only and the write into <c>inbound/{broker}</c> (and the
/// read of <c>outbound/{broker}</c>) comes from ACL entries naming that broker's local user id alone. The app sets them
/// at start, through the landing account's Data Lake endpoint (<c>LandingStorage:dfsServiceUri</c>), with its identity
/// (Storage Blob Data Owner: the only role that may set ACLs); Azurite has no Data Lake endpoint, so LocalHost does not.
/// </summary>
public sealed partial class LandingFolderAccess : IHealthCheck
{
    // The Data Lake REST version that accepts setAccessControl on the root directory.
    private const string ApiVersion = "2021-06-08";

    private readonly HttpPipeline _pipeline;
    private readonly Uri _dfs;
    private readonly IOptionsMonitor<BatchOptions> _options;
    private readonly ILogger _logger;
    // A boxed result, swapped whole: health reads it from other threads.
    private volatile StrongBox<HealthCheckResult> _state = new(HealthCheckResult.Degraded("The broker folders' ACLs have not been applied yet."));

    public LandingFolderAccess(HttpPipeline pipeline, Uri dfsServiceUri, IOptionsMonitor<BatchOptions> options, ILogger<LandingFolderAccess>? logger = null)
    {
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        ArgumentNullException.ThrowIfNull(dfsServiceUri);
        _dfs = new Uri(dfsServiceUri.AbsoluteUri.TrimEnd('/') + "/");
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The pipeline Azure storage clients use: retries, then a bearer token for storage.</summary>
    public static HttpPipeline CreatePipeline(TokenCredential credential, HttpPipelineTransport? transport = null)
    {
        var options = new DataLakeOptions();
        if (transport is not null)
        {
            options.Transport = transport;
        }
        return HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, "https://storage.azure.com/.default"));
    }

    /// <summary>
    /// Every ACL the folders need, in the order they are set: each container's root lets local users traverse
    /// (<c>other::--x</c>, no listing), then per broker its inbound folder (read, write, list: upload and rename of
    /// temporary names) and its outbound folder (read and list; the default entry makes each CONTRL written there
    /// readable by the broker alone). Nobody else has an entry, so no broker reaches another broker's folder.
    /// </summary>
    public static IReadOnlyList<LandingFolderAcl> Plan(BatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var brokers = options.Brokers.Where(b => !string.IsNullOrEmpty(b.Value.SftpUserId)).OrderBy(b => b.Key, StringComparer.Ordinal).ToList();
        if (brokers.Count == 0)
        {
            return [];
        }
        const string Root = "user::rwx,group::r-x,other::--x";
        List<LandingFolderAcl> plan =
        [
            new(BatchDropProcessor.InboundContainer, string.Empty, Root),
            new(BatchDropProcessor.OutboundContainer, string.Empty, Root),
        ];
        foreach (var (broker, settings) in brokers)
        {
            var uid = settings.SftpUserId;
            plan.Add(new(BatchDropProcessor.InboundContainer, broker,
                $"user::rwx,group::r-x,other::---,user:{uid}:rwx,mask::rwx,default:user::rwx,default:group::r-x,default:other::---,default:user:{uid}:rwx,default:mask::rwx"));
            plan.Add(new(BatchDropProcessor.OutboundContainer, broker,
                $"user::rwx,group::r-x,other::---,user:{uid}:r-x,mask::r-x,default:user::rwx,default:group::r-x,default:other::---,default:user:{uid}:r-x,default:mask::r-x"));
        }
        return plan;
    }

    /// <summary>Creates the broker folders that do not exist yet and sets every ACL of <see cref="Plan"/>.</summary>
    public async Task ApplyAsync(CancellationToken cancellationToken = default)
    {
        var plan = Plan(_options.CurrentValue);
        try
        {
            foreach (var folder in plan)
            {
                if (folder.Path.Length > 0)
                {
                    await CreateDirectoryAsync(folder, cancellationToken).ConfigureAwait(false);
                }
                await SetAclAsync(folder, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException ex)
        {
            _state = new(HealthCheckResult.Degraded($"Setting the broker folders' ACLs failed ({ex.Status} {ex.ErrorCode}); brokers may be unable to upload. Files not uploaded by their folder's broker are still quarantined."));
            throw;
        }
        var brokers = plan.Count(f => f.FileSystem == BatchDropProcessor.InboundContainer && f.Path.Length > 0);
        _state = new(HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"ACLs set on the folders of {brokers} broker(s).")));
        LogApplied(_logger, brokers);
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => Task.FromResult(_state.Value);

    private async Task CreateDirectoryAsync(LandingFolderAcl folder, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Put;
        message.Request.Uri.Reset(PathUri(folder, "resource=directory"));
        message.Request.Headers.Add("x-ms-version", ApiVersion);
        // Never replace an existing folder (and what a broker already uploaded into it).
        message.Request.Headers.Add("If-None-Match", "*");
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (message.Response.Status is not (201 or 409))
        {
            throw new RequestFailedException(message.Response);
        }
    }

    private async Task SetAclAsync(LandingFolderAcl folder, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Patch;
        message.Request.Uri.Reset(PathUri(folder, "action=setAccessControl"));
        message.Request.Headers.Add("x-ms-version", ApiVersion);
        message.Request.Headers.Add("x-ms-acl", folder.Acl);
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (message.Response.Status != 200)
        {
            throw new RequestFailedException(message.Response);
        }
    }

    private Uri PathUri(LandingFolderAcl folder, string query) =>
        new($"{_dfs}{Uri.EscapeDataString(folder.FileSystem)}/{Uri.EscapeDataString(folder.Path)}?{query}");

    [LoggerMessage(EventId = 3311, Level = LogLevel.Information, Message = "Landing account: ACLs set on the folders of {Brokers} broker(s).")]
    private static partial void LogApplied(ILogger logger, int brokers);

    private sealed class DataLakeOptions : ClientOptions
    {
    }
}

/// <summary>Applies <see cref="LandingFolderAccess"/> at start, and again every few minutes until it succeeds.</summary>
public sealed partial class LandingFolderAccessService(LandingFolderAccess access, TimeProvider time, ILogger<LandingFolderAccessService> logger) : BackgroundService
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await access.ApplyAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex)
            {
                LogFailed(logger, ex.Status, ex.ErrorCode, RetryInterval);
            }
            await Task.Delay(RetryInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 3312, Level = LogLevel.Error, Message = "Landing account: setting the broker folders' ACLs failed ({Status} {ErrorCode}); retrying in {Interval}.")]
    private static partial void LogFailed(ILogger logger, int status, string? errorCode, TimeSpan interval);
}
