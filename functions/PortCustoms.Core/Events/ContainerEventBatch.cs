namespace PortCustoms.Core.Events;

/// <summary>One field at fault in one event.</summary>
public readonly record struct EventFieldError(string Field, string Message);

/// <summary>Everything wrong with one event of a request: its position, its id when it had one, and each bad field.</summary>
public sealed record EventValidationFailure(int Index, string? EventId, IReadOnlyList<EventFieldError> Errors);

/// <summary>Accepted but worth telling the sender (e.g. a size-type code in no known code list).</summary>
public sealed record EventWarning(int Index, string EventId, string Field, string Message);

/// <summary>The outcome of reading a request body of one event or an array of events.</summary>
public sealed class ContainerEventBatch
{
    internal ContainerEventBatch(string? malformed, IReadOnlyList<ContainerStatusEvent> events, IReadOnlyList<EventValidationFailure> failures, IReadOnlyList<EventWarning> warnings)
    {
        Malformed = malformed;
        Events = events;
        Failures = failures;
        Warnings = warnings;
    }

    /// <summary>Why the body could not be read as events at all (not JSON, not an object or array, empty); else null.</summary>
    public string? Malformed { get; }

    public IReadOnlyList<ContainerStatusEvent> Events { get; }

    public IReadOnlyList<EventValidationFailure> Failures { get; }

    public IReadOnlyList<EventWarning> Warnings { get; }

    /// <summary>What the events' JSON Schema refused, positioned in the body (at most <see cref="Intake.JsonBodySchema.MaxFindings"/>).</summary>
    public IReadOnlyList<Intake.JsonSchemaFinding> SchemaErrors { get; init; } = [];

    /// <summary>Every JSON Schema finding, counted.</summary>
    public int SchemaErrorCount { get; init; }

    public bool IsValid => Malformed is null && Failures.Count == 0;
}
