using PortCustoms.Core.Model;

namespace PortCustoms.Core.Gate;

/// <summary>How a live query to the customs platform ended. Everything but <see cref="Answered"/> makes the gate HOLD.</summary>
public enum CustomsLiveQueryOutcome : byte
{
    Answered = 0,
    Timeout = 1,
    Unreachable = 2,
    ServerError = 3,
    Rejected = 4,
    Malformed = 5,
}

/// <summary>The result of a live query: the customs status code (e.g. UN 7365) and reference, or why there is none.</summary>
public readonly record struct CustomsLiveQueryResult(CustomsLiveQueryOutcome Outcome, string? StatusCode, string? CustomsReference, TimeSpan Elapsed)
{
    public static CustomsLiveQueryResult Answer(string statusCode, string? customsReference, TimeSpan elapsed) =>
        new(CustomsLiveQueryOutcome.Answered, statusCode, customsReference, elapsed);

    public static CustomsLiveQueryResult Failure(CustomsLiveQueryOutcome outcome, TimeSpan elapsed) => new(outcome, null, null, elapsed);
}

/// <summary>
/// Asks the customs platform for a container's status synchronously. Implementations never throw for transport or
/// format failures: they return the outcome, so the gate can answer HOLD with the reason.
/// </summary>
public abstract class CustomsLiveQueryClient
{
    protected CustomsLiveQueryClient()
    {
    }

    /// <summary>False when no customs platform endpoint is configured: the gate then never asks live.</summary>
    public virtual bool IsConfigured => true;

    public abstract Task<CustomsLiveQueryResult> QueryStatusAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default);

    /// <summary>The client used when no customs platform is configured.</summary>
    public static CustomsLiveQueryClient NotConfigured { get; } = new NotConfiguredClient();

    private sealed class NotConfiguredClient : CustomsLiveQueryClient
    {
        public override bool IsConfigured => false;

        public override Task<CustomsLiveQueryResult> QueryStatusAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default) =>
            Task.FromResult(CustomsLiveQueryResult.Failure(CustomsLiveQueryOutcome.Unreachable, TimeSpan.Zero));
    }
}
