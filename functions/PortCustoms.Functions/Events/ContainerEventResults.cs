using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PortCustoms.Core.Events;

namespace PortCustoms.Functions.Events;

/// <summary>The HTTP shapes of the events endpoint (RFC 9457 problem details with an <c>errors</c> map).</summary>
internal static class ContainerEventResults
{
    public const string ProblemJson = "application/problem+json";

    internal const string DurableQueue = "On the ordered queue (one session per container; Service Bus in Azure, LocalHost's queue in storage locally): kept until delivered to customs or dead-lettered.";

    internal const string InProcessQueue = "On LocalHost's in-process queue, NOT durable: events accepted here are lost if the process stops before they reach customs. Local runs and tests only; configure Service Bus for the real guarantee.";

    public static IActionResult Accepted(EventIntakeResult result) => new ObjectResult(new AcceptedEvents(
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
    public static IActionResult Invalid(ContainerEventBatch batch)
    {
        var problem = new ProblemDetails
        {
            Type = "https://portcustoms.example/problems/invalid-events",
            Title = batch.Malformed is null ? "One or more events are invalid" : "The request body is not a list of events",
            Status = StatusCodes.Status400BadRequest,
            Detail = batch.Malformed ?? $"{batch.Failures.Count} of the events are invalid. Nothing was queued: correct them and send the whole request again.",
        };
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
        problem.Extensions["errors"] = errors;
        problem.Extensions["invalidEvents"] = batch.Failures
            .Select(f => new InvalidEventBody(f.Index, f.EventId, f.Errors.Select(e => e.Field).Distinct().ToArray()))
            .ToArray();
        return WithProblemContentType(new ObjectResult(problem) { StatusCode = StatusCodes.Status400BadRequest });
    }

    public static IActionResult Problem(int status, string title, string detail) =>
        WithProblemContentType(new ObjectResult(new ProblemDetails { Status = status, Title = title, Detail = detail }) { StatusCode = status });

    /// <summary>Reads the body up to a limit; null when it is larger.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var length && length <= maxBytes ? (int)length : 4096);
        while (true)
        {
            var memory = buffer.GetMemory(4096);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return null;
            }
        }
    }

    private static ObjectResult WithProblemContentType(ObjectResult result)
    {
        result.ContentTypes.Add(ProblemJson);
        return result;
    }

    internal sealed record AcceptedEvents(IReadOnlyList<string> AcceptedEventIds, IReadOnlyList<EventWarningBody> Warnings, bool Durable, string Queue);

    internal sealed record EventWarningBody(int Index, string EventId, string Field, string Message);

    internal sealed record InvalidEventBody(int Index, string? EventId, IReadOnlyList<string> Fields);
}
