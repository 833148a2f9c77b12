using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using PortCustoms.Core.Residency;

namespace PortCustoms.Core.Events;

/// <summary>
/// Processes one queue message: read, sequence into the container's timeline, store, deliver to customs, settle.
/// The same class serves Service Bus and the embedded queue through <see cref="SessionMessageContext"/>.
/// </summary>
/// <remarks>
/// <para><b>Order.</b> One session per container and one call per session at a time: a container's messages are
/// handled one after another in queue order, and the next is not started until this one is settled. The timeline
/// is ordered by time of occurrence; a late event is inserted in its place, flagged, and still delivered (after the
/// ones already delivered, marked <c>outOfOrder</c>: customs cannot un-receive what it has).</para>
/// <para><b>Exactly once in effect.</b> Delivery is at least once; the effect is once because (1) the queue drops
/// resends with the same MessageId in its duplicate detection window, (2) the timeline knows every event id and
/// whether customs has it, so a later resend or a redelivery is settled without a second delivery, and (3) customs
/// gets the event id as idempotency key for the one window left: delivered, then the process died before recording it.</para>
/// <para><b>Customs down.</b> Chosen approach: hold the session and retry inside the handler, with capped
/// exponential back-off (<see cref="SessionHold"/>, a Polly retry on the handler's <see cref="TimeProvider"/>; <see cref="ContainerEventOptions.InitialBackoff"/> doubling to
/// <see cref="ContainerEventOptions.MaxBackoff"/>, with jitter), renewing the session lock between attempts, for up to
/// <see cref="ContainerEventOptions.MaxHoldDuration"/>. Waiting costs no delivery attempt, so an outage of an hour
/// dead-letters nothing, and holding the session keeps the container's later events behind this one (order). Only
/// when the hold runs out is the message abandoned (one delivery used); after
/// <see cref="ContainerEventOptions.MaxDeliveryCount"/> deliveries it is dead-lettered with a reason.
/// Abandoning at once on each failure would burn the ten deliveries in seconds; scheduling a delayed copy would
/// break order. A malformed or schema-invalid body can never succeed: dead-lettered at once.</para>
/// </remarks>
public sealed class ContainerEventMessageHandler
{
    private readonly ContainerTimelineStore _store;
    private readonly CustomsEventSink _sink;
    private readonly ICustomsReleaseLookup _releases;
    private readonly ContainerEventOptions _options;
    private readonly ContainerEventMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResidencyGuard? _residency;
    private readonly PendingDeliveryStore? _pending;
    private readonly ResiliencePipeline _outageHold;
    private readonly ResiliencePipeline<CustomsDeliveryResult> _deliveryHold;

    public ContainerEventMessageHandler(
        ContainerTimelineStore store,
        CustomsEventSink sink,
        ICustomsReleaseLookup releases,
        IOptions<ContainerEventOptions> options,
        ContainerEventMetrics metrics,
        TimeProvider? timeProvider = null,
        ILogger<ContainerEventMessageHandler>? logger = null,
        ResidencyGuard? residency = null,
        PendingDeliveryStore? pending = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        _store = store;
        _sink = sink;
        _releases = releases;
        _options = options.Value;
        _metrics = metrics;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _residency = residency;
        _pending = pending;

        // A dependency outage (the timeline store, the session state) is waited out like customs being down: hold the
        // session with back-off, renewing its lock, for up to MaxHoldDuration; only then give the message back. Abandoning
        // at once burned the ten deliveries in seconds, and a four-minute storage outage dead-lettered what was accepted.
        _outageHold = SessionHold.Build(_options, _time, static outcome => outcome.Exception is not null, RenewBeforeOutageWaitAsync);
        _deliveryHold = SessionHold.Build<CustomsDeliveryResult>(
            _options, _time, static outcome => outcome.Exception is null && outcome.Result.Outcome == CustomsDeliveryOutcome.TransientFailure, RenewBeforeDeliveryWaitAsync);
    }

    /// <summary>False when customs data must not be processed where the app runs (the consumers then do not start).</summary>
    public bool MayProcess => _residency?.Status.IsAllowed ?? true;

    public async Task HandleAsync(SessionMessageContext message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!MayProcess)
        {
            // Not read, not stored, not sent: given back for an instance in an approved region.
            _logger.Abandoned(message.MessageId, message.SessionId, message.DeliveryCount, "customs data may not be processed in this region");
            await TrySettleAsync(() => message.AbandonAsync(CancellationToken.None));
            return;
        }
        if (!ContainerStatusEventReader.TryReadSingle(message.Body.Span, out var statusEvent, out var malformed, out var failure))
        {
            if (malformed is not null)
            {
                await DeadLetterAsync(message, DeadLetterReasons.MalformedBody, malformed, cancellationToken);
            }
            else
            {
                var fields = string.Join("; ", failure!.Errors.Select(e => $"{e.Field}: {e.Message}"));
                await DeadLetterAsync(message, DeadLetterReasons.SchemaInvalid, fields, cancellationToken);
            }
            return;
        }
        if (!string.Equals(statusEvent!.ContainerNumber.ToString(), message.SessionId, StringComparison.Ordinal))
        {
            await DeadLetterAsync(message, DeadLetterReasons.SessionMismatch,
                $"Session '{message.SessionId}' carries an event for {statusEvent.ContainerNumber}: it would bypass that container's order.", cancellationToken);
            return;
        }

        var attempts = 0;
        Exception outage;
        var context = SessionHold.Begin(message, statusEvent.EventId, _time, cancellationToken);
        try
        {
            await _outageHold.ExecuteAsync(
                async attempt =>
                {
                    try
                    {
                        await ProcessAsync(message, statusEvent, firstAttempt: ++attempts == 1, attempt.CancellationToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !attempt.CancellationToken.IsCancellationRequested)
                    {
                        _logger.ProcessingFailed(ex, message.MessageId, message.SessionId);
                        throw;
                    }
                },
                context);
            return;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: give the message back (its lock would expire anyway); the next owner resumes from the store.
            await TrySettleAsync(() => message.AbandonAsync(CancellationToken.None));
            return;
        }
#pragma warning disable CA1031 // Any failure of the store, a lookup or the queue must end in abandon or dead-letter, never a lost message.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The hold ran out, or the session lock could not be renewed for another wait.
            outage = ex;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (message.DeliveryCount >= _options.MaxDeliveryCount)
        {
            await TrySettleAsync(() => DeadLetterAsync(message, DeadLetterReasons.ProcessingFailed, $"{outage.GetType().Name}: {outage.Message}", CancellationToken.None));
        }
        else
        {
            _logger.Abandoned(message.MessageId, message.SessionId, message.DeliveryCount, outage.GetType().Name);
            await TrySettleAsync(() => message.AbandonAsync(CancellationToken.None));
        }
    }

    /// <summary>Before waiting out an outage: counted, and the session lock renewed; if that fails, the outage ends the hold.</summary>
    private async ValueTask RenewBeforeOutageWaitAsync(OnRetryArguments<object> args, SessionMessageContext message, string eventId)
    {
        _metrics.ProcessingRetried();
        try
        {
            await message.RenewSessionLockAsync(args.Context.CancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !args.Context.CancellationToken.IsCancellationRequested)
        {
            // The session lock is gone: the queue redelivers to whoever holds the session next. Give up with the outage.
            ExceptionDispatchInfo.Throw(args.Outcome.Exception!);
        }
    }

    private async Task ProcessAsync(SessionMessageContext message, ContainerStatusEvent statusEvent, bool firstAttempt, CancellationToken cancellationToken)
    {
        var container = statusEvent.ContainerNumber.ToString();
        var checkpoint = SessionCheckpoint.Read(await message.GetSessionStateAsync(cancellationToken));
        if (message.DeliveryCount > 1 && checkpoint.LastDeliveredEventId == statusEvent.EventId)
        {
            // A redelivery of a message delivered and checkpointed whose complete was lost: settle without a second
            // delivery. (A resend, first delivery of another message, goes through the timeline and is counted.)
            _metrics.Processed(SequencingOutcome.Duplicate);
            await message.CompleteAsync(cancellationToken);
            await SettledWithoutDeliveryAsync(statusEvent);
            return;
        }

        var timeline = await _store.LoadAsync(statusEvent.ContainerNumber, cancellationToken);
        var result = timeline.Apply(statusEvent);
        if (firstAttempt)
        {
            _metrics.Processed(result.Outcome);
        }
        var entry = result.Entry;
        if (result.Outcome == SequencingOutcome.Duplicate)
        {
            // A redelivery of this same message (or another attempt of this delivery after a store failure) is not a
            // duplicate arrival; a resend (first delivery of another message) is.
            if (message.DeliveryCount <= 1 && firstAttempt && message.ReplayOf is null)
            {
                timeline.RecordDuplicateArrival(entry);
                _metrics.Anomaly(ContainerAnomalyKind.Duplicate, AnomalySeverity.Warning);
                _logger.DuplicateEvent(statusEvent.EventId, container);
            }
            if (entry.Delivered)
            {
                await _store.SaveAsync(timeline, cancellationToken);
                await message.CompleteAsync(cancellationToken);
                await SettledWithoutDeliveryAsync(statusEvent);
                return;
            }
        }
        else
        {
            if (result.OutOfOrder)
            {
                _metrics.Anomaly(ContainerAnomalyKind.OutOfOrder, AnomalySeverity.Warning);
                _logger.OutOfOrderEvent(statusEvent.EventId, container, result.Position);
            }
            foreach (var anomaly in result.NewTransitionAnomalies)
            {
                Count(anomaly, container);
            }
            await EvaluateCustomsRulesAsync(timeline, result, cancellationToken);
        }

        // The event is durable in the timeline before customs sees it: a crash from here on redelivers, never loses.
        await _store.SaveAsync(timeline, cancellationToken);

        var delivery = await DeliverHoldingSessionAsync(message, new CustomsStatusNotice(statusEvent, entry.Arrival, entry.OutOfOrder), cancellationToken);
        switch (delivery.Outcome)
        {
            case CustomsDeliveryOutcome.Delivered:
                timeline.MarkDelivered(entry);
                await _store.SaveAsync(timeline, cancellationToken);
                await message.SetSessionStateAsync(checkpoint.After(statusEvent, _time.GetUtcNow()).ToUtf8Bytes(), cancellationToken);
                await message.CompleteAsync(cancellationToken);
                _metrics.Delivered(_time.GetUtcNow() - message.EnqueuedTime, _sink.MessageTypeFor(statusEvent));
                _logger.Delivered(statusEvent.EventId, container);
                break;
            case CustomsDeliveryOutcome.PermanentFailure:
                await DeadLetterAsync(message, DeadLetterReasons.CustomsRejected, delivery.Reason ?? "refused by customs", cancellationToken);
                break;
            default:
                if (message.DeliveryCount >= _options.MaxDeliveryCount)
                {
                    await DeadLetterAsync(message, DeadLetterReasons.CustomsUnavailable,
                        $"Customs unavailable through {message.DeliveryCount} deliveries: {delivery.Reason}", cancellationToken);
                }
                else
                {
                    _logger.Abandoned(message.MessageId, message.SessionId, message.DeliveryCount, delivery.Reason ?? "customs unavailable");
                    await message.AbandonAsync(cancellationToken);
                }
                break;
        }
    }

    private async Task<CustomsDeliveryResult> DeliverHoldingSessionAsync(SessionMessageContext message, CustomsStatusNotice notice, CancellationToken cancellationToken)
    {
        var context = SessionHold.Begin(message, notice.Event.EventId, _time, cancellationToken);
        try
        {
            return await _deliveryHold.ExecuteAsync(static (context, state) => state.Handler.DeliverOnceAsync(state.Notice, context.CancellationToken), context, (Handler: this, Notice: notice));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<CustomsDeliveryResult> DeliverOnceAsync(CustomsStatusNotice notice, CancellationToken cancellationToken)
    {
        CustomsDeliveryResult result;
        try
        {
            result = await _sink.DeliverAsync(notice, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A sink that throws is treated as customs unavailable, never as a lost event.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            result = CustomsDeliveryResult.TransientFailure($"{ex.GetType().Name}: {ex.Message}");
        }
        if (result.Outcome is CustomsDeliveryOutcome.TransientFailure or CustomsDeliveryOutcome.PermanentFailure)
        {
            _metrics.DeliveryFailed(result.Outcome, _sink.MessageTypeFor(notice.Event), DeliveryErrorCategory.Of(result));
        }
        return result;
    }

    /// <summary>Before waiting for customs again: logged, and the session lock renewed (a failure ends the delivery as an outage).</summary>
    private async ValueTask RenewBeforeDeliveryWaitAsync(OnRetryArguments<CustomsDeliveryResult> args, SessionMessageContext message, string eventId)
    {
        var result = args.Outcome.Result;
        _logger.DeliveryRetry(eventId, message.SessionId, args.AttemptNumber + 1, result.Reason ?? "unavailable", args.RetryDelay);
        await message.RenewSessionLockAsync(args.Context.CancellationToken);
    }

    private async Task EvaluateCustomsRulesAsync(ContainerTimeline timeline, SequencingResult result, CancellationToken cancellationToken)
    {
        var e = result.Entry.Event;
        var container = timeline.ContainerNumber.ToString();
        if (e.Type == ContainerEventType.GatedOut)
        {
            var release = await LookupAsync(_releases.IsReleasedAsync, e, cancellationToken);
            if (release == CustomsClearance.NotReleased || (release == CustomsClearance.Unknown && _options.ReleaseUnknownIsAlarm))
            {
                Record(timeline, new ContainerAnomaly(ContainerAnomalyKind.GatedOutWithoutRelease, AnomalySeverity.Alarm, e.EventId, e.OccurredAt,
                    release == CustomsClearance.NotReleased
                        ? "gated out while customs had not released the container"
                        : "gated out while no customs release was known for the container"), container);
            }
        }
        if (e.Type == ContainerEventType.Loaded && _options.ExportClearanceRequired)
        {
            var clearance = await LookupAsync(_releases.IsExportClearedAsync, e, cancellationToken);
            if (clearance != CustomsClearance.Released)
            {
                Record(timeline, new ContainerAnomaly(ContainerAnomalyKind.LoadedWithoutExportClearance, AnomalySeverity.Alarm, e.EventId, e.OccurredAt,
                    clearance == CustomsClearance.NotReleased ? "loaded while export was not cleared" : "loaded while no export clearance was known"), container);
            }
        }
        if (e.Type is ContainerEventType.GatedOut or ContainerEventType.Loaded
            && DischargeBefore(timeline, result.Position) is { } discharged
            && e.OccurredAt - discharged.OccurredAt > _options.MaxDwell)
        {
            Record(timeline, new ContainerAnomaly(ContainerAnomalyKind.DwellExceeded, AnomalySeverity.Warning, e.EventId, e.OccurredAt,
                $"left {(e.OccurredAt - discharged.OccurredAt).TotalDays:F1} days after discharge (limit {_options.MaxDwell.TotalDays:F1})"), container);
        }
    }

    // A customs status that cannot be read is unknown: the anomaly rules must never hold back delivery to customs.
    private static async ValueTask<CustomsClearance> LookupAsync(
        Func<PortCustoms.Core.Model.ContainerNumber, CancellationToken, ValueTask<CustomsClearance>> lookup, ContainerStatusEvent e, CancellationToken cancellationToken)
    {
        try
        {
            return await lookup(e.ContainerNumber, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any lookup failure means "not known", which the rules already handle.
        catch (Exception)
#pragma warning restore CA1031
        {
            return CustomsClearance.Unknown;
        }
    }

    /// <summary>The discharge that brought the container into the terminal for the stay ending at <paramref name="position"/>.</summary>
    internal static ContainerStatusEvent? DischargeBefore(ContainerTimeline timeline, int position)
    {
        for (var i = position - 1; i >= 0; i--)
        {
            var type = timeline.Entries[i].Event.Type;
            if (type == ContainerEventType.Discharged)
            {
                return timeline.Entries[i].Event;
            }
            if (type is ContainerEventType.GatedIn or ContainerEventType.GatedOut or ContainerEventType.Loaded)
            {
                return null;
            }
        }
        return null;
    }

    private void Record(ContainerTimeline timeline, ContainerAnomaly anomaly, string container)
    {
        if (timeline.Record(anomaly))
        {
            Count(anomaly, container);
        }
    }

    private void Count(ContainerAnomaly anomaly, string container)
    {
        _metrics.Anomaly(anomaly.Kind, anomaly.Severity);
        _logger.AnomalyFound(ContainerAnomaly.ToWireName(anomaly.Kind), anomaly.Severity.ToString(), container, anomaly.EventId);
    }

    /// <summary>A resend of an event customs already has waits for nothing: it leaves the pending list (best effort: the list is for the view).</summary>
    private async Task SettledWithoutDeliveryAsync(ContainerStatusEvent statusEvent)
    {
        if (_pending is null)
        {
            return;
        }
        try
        {
            await _pending.DeliveredAsync(statusEvent.ContainerNumber, statusEvent.EventId, CancellationToken.None);
        }
#pragma warning disable CA1031 // The pending index never changes what the queue does.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task DeadLetterAsync(SessionMessageContext message, string reason, string description, CancellationToken cancellationToken)
    {
        // Service Bus caps the description at 4096 characters.
        var text = description.Length > 4000 ? description[..4000] : description;
        await message.DeadLetterAsync(reason, text, cancellationToken);
        _metrics.DeadLettered(reason);
        _logger.DeadLettered(message.MessageId, message.SessionId, reason);
        if (_pending is not null && ContainerStatusEventReader.TryReadSingle(message.Body.Span, out var statusEvent, out _, out _))
        {
            try
            {
                // It still waits, now for a fix and a replay: the dead-letter depth counts it.
                await _pending.DeadLetteredAsync(statusEvent!.ContainerNumber, statusEvent.EventId, reason, _time.GetUtcNow(), CancellationToken.None);
            }
#pragma warning disable CA1031 // The pending index never changes what the queue does.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private static async Task TrySettleAsync(Func<Task> settle)
    {
        try
        {
            await settle();
        }
#pragma warning disable CA1031 // The lock may be gone (that is why we are here); the queue redelivers on expiry.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
