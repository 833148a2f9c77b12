using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PortCustoms.Core.Events;
using PortCustoms.Functions.Http;

namespace PortCustoms.Functions.Events;

/// <summary>How each <see cref="EventIntakeResult"/> is answered over HTTP (problems as RFC 9457 with an <c>errors</c> map).</summary>
internal static class ContainerEventResults
{
    public const string ProblemJson = "application/problem+json";

    internal const string DurableQueue = "On the ordered queue (one session per container; Service Bus in Azure, LocalHost's queue in storage locally): kept until delivered to customs or dead-lettered.";

    internal const string InProcessQueue = "On LocalHost's in-process queue, NOT durable: events accepted here are lost if the process stops before they reach customs. Local runs and tests only; configure Service Bus for the real guarantee.";

    public static IActionResult ToHttp(EventIntakeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status switch
        {
            EventIntakeStatus.Accepted => Accepted(result),
            EventIntakeStatus.Rejected => Invalid(result.Batch),
            EventIntakeStatus.Unavailable => Problems.Create(StatusCodes.Status503ServiceUnavailable, "Event queue unavailable",
                "The events were not all queued. Send the same request again: events already queued are recognised by eventId and dropped."),
            _ => throw new UnreachableException(result.Status.ToString()),
        };
    }

    private static ObjectResult Accepted(EventIntakeResult result) => new ObjectResult(new AcceptedEvents(
        result.AcceptedEventIds,
        result.Batch.Warnings.Select(w => new EventWarningBody(w.Index, w.EventId, w.Field, w.Message)).ToArray(),
        result.Durable,
        result.Durable ? DurableQueue : InProcessQueue))
    {
        StatusCode = StatusCodes.Status202Accepted,
    };

    /// <summary>
    /// 400 naming every bad event: <c>errors</c> is keyed <c>[index].field</c> (index in the request, 0 for a single
    /// object) and <c>invalidEvents</c> lists each bad event by index and eventId with its fields.
    /// </summary>
    private static ObjectResult Invalid(ContainerEventBatch batch)
    {
        var errors = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        if (batch.Malformed is not null)
        {
            errors["$"] = [batch.Malformed];
        }
        foreach (var failure in batch.Failures)
        {
            foreach (var group in failure.Errors.GroupBy(e => e.Field))
            {
                var key = group.Key.Length == 0 ? $"[{failure.Index}]" : $"[{failure.Index}].{group.Key}";
                errors[key] = group.Select(e => failure.EventId is null ? e.Message : $"{e.Message} (event '{failure.EventId}')").ToArray();
            }
        }
        var invalidEvents = batch.Failures
            .Select(f => new InvalidEventBody(f.Index, f.EventId, f.Errors.Select(e => e.Field).Distinct().ToArray()))
            .ToArray();
        return Problems.Create(
            StatusCodes.Status400BadRequest,
            batch.Malformed is null ? "One or more events are invalid" : "The request body is not a list of events",
            batch.Malformed ?? $"{batch.Failures.Count} of the events are invalid. Nothing was queued: correct them and send the whole request again.",
            errors,
            type: "https://portcustoms.example/problems/invalid-events",
            extensions: [new("invalidEvents", invalidEvents), .. Problems.SchemaExtensions(batch.SchemaErrors, batch.SchemaErrorCount)]);
    }

    [VisibleTo(CallerRole.Terminal)]
    internal sealed record AcceptedEvents(IReadOnlyList<string> AcceptedEventIds, IReadOnlyList<EventWarningBody> Warnings, bool Durable, string Queue);

    [VisibleTo(CallerRole.Terminal)]
    internal sealed record EventWarningBody(int Index, string EventId, string Field, string Message);

    [VisibleTo(CallerRole.Terminal)]
    internal sealed record InvalidEventBody(int Index, string? EventId, IReadOnlyList<string> Fields);
}
