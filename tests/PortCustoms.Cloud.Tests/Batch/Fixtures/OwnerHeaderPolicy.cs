using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace PortCustoms.Cloud.Tests.Batch.Fixtures;

/// <summary>
/// Adds <c>x-ms-owner</c> to Get Blob Properties answers, as a hierarchical-namespace account (the SFTP landing
/// account) does; Azurite has no owners. Everything else is Azurite's real answer.
/// </summary>
internal sealed class OwnerHeaderPolicy(BatchDropHarness harness) : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ProcessNext(message, pipeline);
        Decorate(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        Decorate(message);
    }

    private void Decorate(HttpMessage message)
    {
        if (message.Request.Method != RequestMethod.Head || message.Response.Status != 200)
        {
            return;
        }
        // Path style on Azurite: /{account}/{container}/{blob}.
        var path = Uri.UnescapeDataString(message.Request.Uri.Path).TrimStart('/');
        path = path[(path.IndexOf('/', StringComparison.Ordinal) + 1)..];
        if (harness.OwnerOf(path) is { } owner)
        {
            message.Response = new WithHeader(message.Response, "x-ms-owner", owner);
        }
    }

    private sealed class WithHeader(Response inner, string name, string value) : Response
    {
        public override int Status => inner.Status;

        public override string ReasonPhrase => inner.ReasonPhrase;

        public override Stream? ContentStream { get => inner.ContentStream; set => inner.ContentStream = value; }

        public override string ClientRequestId { get => inner.ClientRequestId; set => inner.ClientRequestId = value; }

        public override void Dispose() => inner.Dispose();

        protected override bool ContainsHeader(string headerName) =>
            string.Equals(headerName, name, StringComparison.OrdinalIgnoreCase) || inner.Headers.Contains(headerName);

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => inner.Headers.Append(new HttpHeader(name, value));

        protected override bool TryGetHeader(string headerName, [NotNullWhen(true)] out string? headerValue)
        {
            if (string.Equals(headerName, name, StringComparison.OrdinalIgnoreCase))
            {
                headerValue = value;
                return true;
            }
            return inner.Headers.TryGetValue(headerName, out headerValue);
        }

        protected override bool TryGetHeaderValues(string headerName, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            if (string.Equals(headerName, name, StringComparison.OrdinalIgnoreCase))
            {
                values = [value];
                return true;
            }
            return inner.Headers.TryGetValues(headerName, out values);
        }
    }
}
