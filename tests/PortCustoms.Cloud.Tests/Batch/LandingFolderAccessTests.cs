using System.Net;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Batch;
using PortCustoms.Core.Batch;

namespace PortCustoms.Cloud.Tests.Batch;

/// <summary>
/// The ACLs that keep each broker's SFTP user in its own folders. Azurite has no Data Lake endpoint, so the requests go
/// through the real Azure.Core pipeline (retries, bearer token) into a recording transport that answers as the
/// landing account's dfs endpoint does.
/// </summary>
public sealed class LandingFolderAccessTests
{
    private static readonly Uri Dfs = new("https://stlanding.dfs.core.windows.net");

    private static BatchOptions TwoBrokers() => new()
    {
        UploaderIdentity = BatchUploaderIdentity.SftpOwner,
        Brokers =
        {
            ["brokerabc"] = new BatchBrokerOptions { SftpUserId = "1001" },
            ["brokerxyz"] = new BatchBrokerOptions { SftpUserId = "1002" },
            ["rulesonly"] = new BatchBrokerOptions { AllowedFormats = [BatchFormat.Edifact] },
        },
    };

    [Fact]
    public void Each_brokers_folders_name_its_own_user_only_and_outbound_is_read_only()
    {
        var plan = LandingFolderAccess.Plan(TwoBrokers());

        Assert.Equal(["inbound/", "outbound/", "inbound/brokerabc", "outbound/brokerabc", "inbound/brokerxyz", "outbound/brokerxyz"], plan.Select(f => f.Target));
        Assert.All(plan.Take(2), root => Assert.Equal("user::rwx,group::r-x,other::--x", root.Acl));
        var abcInbound = plan.Single(f => f.Target == "inbound/brokerabc").Acl;
        Assert.Contains("user:1001:rwx", abcInbound, StringComparison.Ordinal);
        Assert.DoesNotContain("1002", abcInbound, StringComparison.Ordinal);
        Assert.Contains("other::---", abcInbound, StringComparison.Ordinal);
        var xyzOutbound = plan.Single(f => f.Target == "outbound/brokerxyz").Acl;
        Assert.Contains("user:1002:r-x", xyzOutbound, StringComparison.Ordinal);
        Assert.Contains("default:user:1002:r-x", xyzOutbound, StringComparison.Ordinal);
        Assert.DoesNotContain("1001", xyzOutbound, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_brokers_that_have_SFTP_users_nothing_is_set()
    {
        Assert.Empty(LandingFolderAccess.Plan(new BatchOptions { Brokers = { ["rulesonly"] = new BatchBrokerOptions() } }));
    }

    [Fact]
    public async Task Folders_are_created_without_replacing_existing_ones_and_every_ACL_is_set_with_the_apps_token()
    {
        var transport = new RecordingTransport(request =>
            request.RequestUri!.Query.Contains("resource=directory", StringComparison.Ordinal) && request.RequestUri.AbsolutePath.EndsWith("brokerabc", StringComparison.Ordinal)
                ? HttpStatusCode.Conflict // already there: kept as it is
                : request.Method == HttpMethod.Put ? HttpStatusCode.Created : HttpStatusCode.OK);
        var access = new LandingFolderAccess(LandingFolderAccess.CreatePipeline(new StaticToken(), transport), Dfs, Monitor(TwoBrokers()));

        await access.ApplyAsync();

        Assert.Equal(
        [
            "PATCH /inbound/?action=setAccessControl",
            "PATCH /outbound/?action=setAccessControl",
            "PUT /inbound/brokerabc?resource=directory",
            "PATCH /inbound/brokerabc?action=setAccessControl",
            "PUT /outbound/brokerabc?resource=directory",
            "PATCH /outbound/brokerabc?action=setAccessControl",
            "PUT /inbound/brokerxyz?resource=directory",
            "PATCH /inbound/brokerxyz?action=setAccessControl",
            "PUT /outbound/brokerxyz?resource=directory",
            "PATCH /outbound/brokerxyz?action=setAccessControl",
        ], transport.Requests.Select(r => r.Line));
        Assert.All(transport.Requests, r => Assert.Equal("Bearer test-token", r.Authorization));
        Assert.All(transport.Requests.Where(r => r.Line.StartsWith("PUT", StringComparison.Ordinal)), r => Assert.Equal("*", r.IfNoneMatch));
        Assert.Contains("user:1002:rwx", transport.Requests.Single(r => r.Line == "PATCH /inbound/brokerxyz?action=setAccessControl").Acl, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, (await access.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task A_refused_ACL_fails_the_apply_and_turns_health_degraded()
    {
        var transport = new RecordingTransport(request => request.Method == HttpMethod.Patch ? HttpStatusCode.Forbidden : HttpStatusCode.Created);
        var access = new LandingFolderAccess(LandingFolderAccess.CreatePipeline(new StaticToken(), transport), Dfs, Monitor(TwoBrokers()));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => access.ApplyAsync());

        Assert.Equal(403, failure.Status);
        var health = await access.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("403", health.Description, StringComparison.Ordinal);
    }

    private static IOptionsMonitor<BatchOptions> Monitor(BatchOptions options) => new StaticMonitor(options);

    private sealed class StaticMonitor(BatchOptions value) : IOptionsMonitor<BatchOptions>
    {
        public BatchOptions CurrentValue => value;

        public BatchOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<BatchOptions, string?> listener) => null;
    }

    private sealed class StaticToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("test-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    private sealed record Recorded(string Line, string? Authorization, string? IfNoneMatch, string? Acl);

    /// <summary>Answers as the dfs endpoint would (status only) and records each request.</summary>
    private sealed class RecordingTransport : HttpPipelineTransport
    {
        private readonly Handler _handler;
        private readonly HttpClientTransport _inner;

        public RecordingTransport(Func<HttpRequestMessage, HttpStatusCode> answer)
        {
            _handler = new Handler(answer, []);
            _inner = new HttpClientTransport(new HttpClient(_handler));
        }

        public List<Recorded> Requests => _handler.Requests;

        public override Request CreateRequest() => _inner.CreateRequest();

        public override void Process(HttpMessage message) => _inner.Process(message);

        public override ValueTask ProcessAsync(HttpMessage message) => _inner.ProcessAsync(message);
    }

    private sealed class Handler(Func<HttpRequestMessage, HttpStatusCode> answer, List<Recorded> requests) : HttpMessageHandler
    {
        public List<Recorded> Requests => requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (requests)
            {
                requests.Add(new Recorded(
                    $"{request.Method} {request.RequestUri!.PathAndQuery}",
                    request.Headers.Authorization?.ToString(),
                    request.Headers.TryGetValues("If-None-Match", out var match) ? match.Single() : null,
                    request.Headers.TryGetValues("x-ms-acl", out var acl) ? acl.Single() : null));
            }
            return Task.FromResult(new HttpResponseMessage(answer(request)) { Content = new StringContent(string.Empty) });
        }
    }
}
