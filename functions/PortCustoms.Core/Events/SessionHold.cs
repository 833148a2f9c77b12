using Polly;
using Polly.Retry;

namespace PortCustoms.Core.Events;

/// <summary>
/// The back-off that holds a session while something it needs is down (customs, the timeline store, the session
/// state): a Polly retry on the handler's <see cref="TimeProvider"/> that waits
/// <see cref="ContainerEventOptions.InitialBackoff"/> doubling to <see cref="ContainerEventOptions.MaxBackoff"/>, each
/// wait jittered by ±20 %, and retries only while the wait ends within <see cref="ContainerEventOptions.MaxHoldDuration"/>
/// of the first attempt. Before each wait the caller's <c>onRetry</c> runs (it renews the session lock).
/// </summary>
internal static class SessionHold
{
    private static readonly ResiliencePropertyKey<State> StateKey = new("PortCustoms.SessionHold");

    /// <summary>A pipeline that retries the results or exceptions <paramref name="isTransient"/> picks, within the hold.</summary>
    public static ResiliencePipeline<T> Build<T>(
        ContainerEventOptions options, TimeProvider time, Func<Outcome<T>, bool> isTransient, Func<OnRetryArguments<T>, SessionMessageContext, string, ValueTask> onRetry) =>
        new ResiliencePipelineBuilder<T> { TimeProvider = time }
            .AddRetry(Configure(new RetryStrategyOptions<T>(), options, time, isTransient, onRetry))
            .Build();

    /// <summary>A pipeline for callbacks without a result: retries the exceptions <paramref name="isTransient"/> picks, within the hold.</summary>
    public static ResiliencePipeline Build(
        ContainerEventOptions options, TimeProvider time, Func<Outcome<object>, bool> isTransient, Func<OnRetryArguments<object>, SessionMessageContext, string, ValueTask> onRetry) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(Configure(new RetryStrategyOptions(), options, time, isTransient, onRetry))
            .Build();

    private static TOptions Configure<TOptions, T>(
        TOptions retry, ContainerEventOptions options, TimeProvider time, Func<Outcome<T>, bool> isTransient, Func<OnRetryArguments<T>, SessionMessageContext, string, ValueTask> onRetry)
        where TOptions : RetryStrategyOptions<T>
    {
        retry.MaxRetryAttempts = int.MaxValue; // the hold ends it, not a count
        retry.Delay = TimeSpan.Zero;
        retry.ShouldHandle = args => ValueTask.FromResult(isTransient(args.Outcome) && StateOf(args.Context).TryPlanWait(args.AttemptNumber, options, time));
        retry.DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(StateOf(args.Context).NextWait);
        retry.OnRetry = args =>
        {
            State state = StateOf(args.Context);
            return onRetry(args, state.Message, state.EventId);
        };
        return retry;
    }

    /// <summary>A context for one hold of <paramref name="message"/>'s session for event <paramref name="eventId"/>, starting now; give it back with <see cref="ResilienceContextPool.Return"/>.</summary>
    public static ResilienceContext Begin(SessionMessageContext message, string eventId, TimeProvider time, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StateKey, new State(message, eventId, time.GetTimestamp()));
        return context;
    }

    private static State StateOf(ResilienceContext context) =>
        context.Properties.TryGetValue(StateKey, out State? state) ? state : throw new InvalidOperationException("The context was not begun with SessionHold.Begin.");

    private sealed class State(SessionMessageContext message, string eventId, long started)
    {
        public SessionMessageContext Message { get; } = message;

        public string EventId { get; } = eventId;

        public TimeSpan NextWait { get; private set; }

        /// <summary>The wait after the failed attempt <paramref name="attempt"/> (0 the first), if it ends within the hold.</summary>
        public bool TryPlanWait(int attempt, ContainerEventOptions options, TimeProvider time)
        {
            TimeSpan delay = attempt == 0
                ? options.InitialBackoff
                : TimeSpan.FromTicks((long)Math.Min(options.InitialBackoff.Ticks * Math.Pow(2, Math.Min(attempt, 62)), options.MaxBackoff.Ticks));
            NextWait = TimeSpan.FromTicks((long)(delay.Ticks * (0.8 + (0.4 * Random.Shared.NextDouble()))));
            return time.GetElapsedTime(started) + NextWait <= options.MaxHoldDuration;
        }
    }
}
