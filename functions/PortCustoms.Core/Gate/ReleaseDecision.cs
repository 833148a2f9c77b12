using PortCustoms.Core.Customs;

namespace PortCustoms.Core.Gate;

/// <summary>A decision with its rule and the reason a gate clerk reads. Never carries customs intelligence.</summary>
public readonly record struct GateVerdict(GateDecision Decision, DecisionRule Rule, string Reason, string? CustomsReference);

/// <summary>
/// The release rules (ARCHITECTURE.md, safety rules): CLEAR only on a customs release newer than every hold and inspection
/// order; INSPECT while an inspection order has no later completion; everything else HOLD, with a reason.
/// </summary>
public static class ReleaseDecision
{
    public static class Reasons
    {
        public const string Released = "Released by customs";
        public const string InspectionRequired = "Customs inspection required";
        public const string InspectionCompleted = "Inspection completed; waiting for customs release";
        public const string Held = "Held by customs";
        public const string NoCustomsRecord = "No customs release received for this container";
        public const string LiveTimeout = "Customs did not answer in time; no release known";
        public const string LiveUnreachable = "Customs platform unreachable; no release known";
        public const string LiveServerError = "Customs platform error; no release known";
        public const string LiveRejected = "Customs platform refused the query; no release known";
        public const string LiveMalformed = "Customs answer could not be read; no release known";
        public const string StoreUnavailable = "Customs status unavailable; no release known";
        public const string ReleaseWithoutTimeZone = "Customs release time has no time zone; waiting for a release that can be ordered";
    }

    /// <summary>
    /// Decides from the stored state alone: the newest release against the newest hold and inspection order, whatever
    /// order they arrived in; never from the notification shown as current.
    /// </summary>
    public static GateVerdict Decide(ContainerCustomsState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var latestOrder = Later(state.LatestHold, state.LatestInspectionRequired);

        // Strictly newer: a release issued at the same instant as a hold or inspection order does not outrank it, and an
        // order without a zone counts at the latest instant it may name.
        if (state.LatestRelease is { } release && (latestOrder is null || release.IssuedAt > latestOrder.OrderInstant))
        {
            return new(GateDecision.Clear, DecisionRule.ReleasedAfterOrders, Reasons.Released, release.CustomsReference);
        }
        // A release whose time had no zone can never be ordered against the rest: it holds, and says so.
        if (state.LatestUnzonedRelease is { } unzoned
            && (latestOrder is null || unzoned.IssuedAt > latestOrder.IssuedAt)
            && (state.LatestRelease is null || unzoned.IssuedAt > state.LatestRelease.IssuedAt))
        {
            return new(GateDecision.Hold, DecisionRule.ReleaseWithoutTimeZone, Reasons.ReleaseWithoutTimeZone, unzoned.CustomsReference);
        }
        var completed = state.LatestInspectionCompleted;
        if (state.LatestInspectionRequired is { } inspection && (completed is null || completed.IssuedAt <= inspection.IssuedAt))
        {
            return new(GateDecision.Inspect, DecisionRule.InspectionOpen, Reasons.InspectionRequired, inspection.CustomsReference);
        }
        // A completed inspection does not release by itself: customs still has to send a release newer than the order.
        if (state.LatestHold is { } hold && (completed is null || hold.IssuedAt >= completed.IssuedAt))
        {
            return new(GateDecision.Hold, DecisionRule.HeldByCustoms, Reasons.Held, hold.CustomsReference);
        }
        if (completed is not null)
        {
            return new(GateDecision.Hold, DecisionRule.InspectionCompletedAwaitingRelease, Reasons.InspectionCompleted, completed.CustomsReference);
        }
        // Only a release no newer than an order: still no release.
        return new(GateDecision.Hold, DecisionRule.HeldByCustoms, Reasons.Held, latestOrder?.CustomsReference ?? state.Current.CustomsReference);
    }

    /// <summary>Decides from a live customs answer, mapping its status code through the authority's configuration.</summary>
    public static GateVerdict Decide(CustomsLiveQueryResult result, CustomsAuthorityOptions authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return result.Outcome switch
        {
            CustomsLiveQueryOutcome.Answered when result.StatusCode is { } code && authority.StatusCodes.TryGetValue(code, out var rule)
                => new(rule.Decision, DecisionRule.LiveQueryStatus, rule.Reason, result.CustomsReference),
            CustomsLiveQueryOutcome.Answered
                => new(GateDecision.Hold, DecisionRule.LiveQueryUnknownCode, authority.UnknownCodeReason, result.CustomsReference),
            CustomsLiveQueryOutcome.Timeout => Hold(DecisionRule.LiveQueryTimeout, Reasons.LiveTimeout),
            CustomsLiveQueryOutcome.Unreachable => Hold(DecisionRule.LiveQueryUnreachable, Reasons.LiveUnreachable),
            CustomsLiveQueryOutcome.ServerError => Hold(DecisionRule.LiveQueryServerError, Reasons.LiveServerError),
            CustomsLiveQueryOutcome.Rejected => Hold(DecisionRule.LiveQueryRejected, Reasons.LiveRejected),
            _ => Hold(DecisionRule.LiveQueryMalformed, Reasons.LiveMalformed),
        };
    }

    public static GateVerdict NoCustomsRecord() => Hold(DecisionRule.NoCustomsRecord, Reasons.NoCustomsRecord);

    public static GateVerdict StoreUnavailable() => Hold(DecisionRule.StoreUnavailable, Reasons.StoreUnavailable);

    private static GateVerdict Hold(DecisionRule rule, string reason) => new(GateDecision.Hold, rule, reason, null);

    private static NotificationReference? Later(NotificationReference? a, NotificationReference? b) =>
        a is null ? b : b is null ? a : (b.OrderInstant > a.OrderInstant ? b : a);
}
