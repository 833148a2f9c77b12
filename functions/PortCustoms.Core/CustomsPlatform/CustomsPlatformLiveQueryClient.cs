using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.CustomsPlatform;

/// <summary>The gate's live query over the customs platform adapter: the configured format, the shared transport.</summary>
public sealed class CustomsPlatformLiveQueryClient : CustomsLiveQueryClient
{
    /// <summary>The operation (path relative to the platform's base address) of a status query.</summary>
    public const string DefaultOperation = "v1/status-queries";

    private readonly CustomsPlatformTransport _transport;
    private readonly CustomsMessageFormat _format;
    private readonly TimeProvider _time;
    private readonly string _operation;

    public CustomsPlatformLiveQueryClient(CustomsPlatformTransport transport, CustomsMessageFormat format, TimeProvider time, string operation = DefaultOperation)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _format = format ?? throw new ArgumentNullException(nameof(format));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _operation = operation ?? throw new ArgumentNullException(nameof(operation));
    }

    public override async Task<CustomsLiveQueryResult> QueryStatusAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        var query = new CustomsStatusQueryMessage(Guid.CreateVersion7(_time.GetUtcNow()).ToString(), containerNumber.ToString());
        CustomsTransportResponse response;
        try
        {
            response = await _transport.SendAsync(new CustomsTransportRequest(_operation, _format.Encode(query), _format.MediaType), cancellationToken).ConfigureAwait(false);
        }
        catch (CustomsPlatformException ex)
        {
            var outcome = ex.Reason == CustomsPlatformFailureReason.Timeout ? CustomsLiveQueryOutcome.Timeout : CustomsLiveQueryOutcome.Unreachable;
            return CustomsLiveQueryResult.Failure(outcome, _time.GetElapsedTime(started));
        }

        var elapsed = _time.GetElapsedTime(started);
        if (response.Status >= 500)
        {
            return CustomsLiveQueryResult.Failure(CustomsLiveQueryOutcome.ServerError, elapsed);
        }
        if (!response.IsSuccess)
        {
            return CustomsLiveQueryResult.Failure(CustomsLiveQueryOutcome.Rejected, elapsed);
        }
        // An answer about another container is as useless as an unreadable one.
        if (!_format.TryDecode<CustomsStatusAnswerMessage>(response.Body, out var answer)
            || !string.Equals(answer.ContainerNumber, query.ContainerNumber, StringComparison.Ordinal)
            || string.IsNullOrWhiteSpace(answer.StatusCode))
        {
            return CustomsLiveQueryResult.Failure(CustomsLiveQueryOutcome.Malformed, elapsed);
        }
        return CustomsLiveQueryResult.Answer(answer.StatusCode, answer.CustomsReference, elapsed);
    }
}
