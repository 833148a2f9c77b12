using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using static PortCustoms.Core.Customs.CustomsStatus;
using static PortCustoms.Core.Tests.Fixtures.Containers;

namespace PortCustoms.Core.Tests.Gate;

public sealed class ReleaseDecisionTests
{
    /// <summary>Receives notifications in arrival order (status, issued minute) and decides.</summary>
    private static GateVerdict DecideAfter(params (CustomsStatus Status, int Minute)[] arrivals)
    {
        ContainerCustomsState? state = null;
        for (var i = 0; i < arrivals.Length; i++)
        {
            var notification = Notification($"N{i:D2}", arrivals[i].Status, arrivals[i].Minute);
            state = state is null ? ContainerCustomsState.Start(notification) : state.Receive(notification).State;
        }
        return ReleaseDecision.Decide(state!);
    }

    [Fact]
    public void Decide_ReleaseOnly_Clear()
    {
        var verdict = DecideAfter((Released, 0));
        Assert.Equal(GateDecision.Clear, verdict.Decision);
        Assert.Equal(DecisionRule.ReleasedAfterOrders, verdict.Rule);
        Assert.Equal("Released by customs", verdict.Reason);
        Assert.Equal("24NLN00", verdict.CustomsReference);
    }

    [Fact]
    public void Decide_HoldThenLaterRelease_Clear() =>
        Assert.Equal(GateDecision.Clear, DecideAfter((Hold, 0), (Released, 5)).Decision);

    [Fact]
    public void Decide_ReleaseBeforeLaterHold_Hold()
    {
        var verdict = DecideAfter((Released, 0), (Hold, 5));
        Assert.Equal(GateDecision.Hold, verdict.Decision);
        Assert.Equal(DecisionRule.HeldByCustoms, verdict.Rule);
        Assert.Equal("Held by customs", verdict.Reason);
    }

    [Fact]
    public void Decide_LaterHoldArrivingFirst_StaleReleaseDoesNotClear() =>
        Assert.Equal(GateDecision.Hold, DecideAfter((Hold, 5), (Released, 0)).Decision);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decide_ReleaseAndHoldAtTheSameInstant_HoldWhicheverArrivesFirst(bool releaseFirst)
    {
        var verdict = releaseFirst ? DecideAfter((Released, 3), (Hold, 3)) : DecideAfter((Hold, 3), (Released, 3));
        Assert.Equal(GateDecision.Hold, verdict.Decision);
        Assert.Equal(DecisionRule.HeldByCustoms, verdict.Rule);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decide_ReleaseAndInspectionOrderAtTheSameInstant_Inspect(bool releaseFirst)
    {
        var verdict = releaseFirst
            ? DecideAfter((Released, 3), (InspectionRequired, 3))
            : DecideAfter((InspectionRequired, 3), (Released, 3));
        Assert.Equal(GateDecision.Inspect, verdict.Decision);
    }

    [Fact]
    public void Decide_InspectionRequired_Inspect()
    {
        var verdict = DecideAfter((Released, 0), (InspectionRequired, 5));
        Assert.Equal(GateDecision.Inspect, verdict.Decision);
        Assert.Equal(DecisionRule.InspectionOpen, verdict.Rule);
        Assert.Equal("Customs inspection required", verdict.Reason);
    }

    [Fact]
    public void Decide_InspectionCompletedWithoutLaterRelease_Hold()
    {
        var verdict = DecideAfter((InspectionRequired, 0), (InspectionCompleted, 5));
        Assert.Equal(GateDecision.Hold, verdict.Decision);
        Assert.Equal(DecisionRule.InspectionCompletedAwaitingRelease, verdict.Rule);
        Assert.Equal("Inspection completed; waiting for customs release", verdict.Reason);
    }

    [Fact]
    public void Decide_ReleaseBeforeInspectionOrderThenCompleted_Hold() =>
        Assert.Equal(GateDecision.Hold, DecideAfter((Released, 0), (InspectionRequired, 5), (InspectionCompleted, 10)).Decision);

    [Fact]
    public void Decide_InspectionCompletedThenRelease_Clear() =>
        Assert.Equal(GateDecision.Clear, DecideAfter((InspectionRequired, 0), (InspectionCompleted, 5), (Released, 10)).Decision);

    [Fact]
    public void Decide_ReleaseAfterInspectionOrderButBeforeCompletion_Clear() =>
        // The release is newer than every order; the completion afterwards does not take it back.
        Assert.Equal(GateDecision.Clear, DecideAfter((InspectionRequired, 0), (Released, 5), (InspectionCompleted, 10)).Decision);

    [Fact]
    public void Decide_InspectionCompletedAtTheSameInstantAsOrder_StillInspect() =>
        Assert.Equal(GateDecision.Inspect, DecideAfter((InspectionCompleted, 5), (InspectionRequired, 5)).Decision);

    [Fact]
    public void Decide_CompletionAloneWithNoOrder_Hold() =>
        Assert.Equal(GateDecision.Hold, DecideAfter((InspectionCompleted, 0)).Decision);

    [Fact]
    public void Decide_HoldAfterRelease_ThenNewerRelease_Clear() =>
        Assert.Equal(GateDecision.Clear, DecideAfter((Released, 0), (Hold, 5), (Released, 10)).Decision);

    [Fact]
    public void Decide_StaleInspectionOrderAfterRelease_StaysClear() =>
        Assert.Equal(GateDecision.Clear, DecideAfter((Released, 10), (InspectionRequired, 5)).Decision);

    [Fact]
    public void Decide_HoldOnly_Hold() =>
        Assert.Equal(GateDecision.Hold, DecideAfter((Hold, 0)).Decision);

    [Fact]
    public void Decide_EveryArrivalOrderOfTheSameNotifications_SameDecisionWhenNoneIsStale()
    {
        // Same-instant notifications of every status: the outcome must not depend on which arrived first.
        var statuses = new[] { Released, Hold, InspectionRequired, InspectionCompleted };
        foreach (var permutation in Permutations(statuses))
        {
            var verdict = DecideAfter(permutation.Select(s => (s, 7)).ToArray());
            Assert.Equal(GateDecision.Inspect, verdict.Decision);
        }
    }

    private static IEnumerable<CustomsStatus[]> Permutations(CustomsStatus[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items[..i], .. items[(i + 1)..]]).Select(rest => (CustomsStatus[])[item, .. rest]));

    /// <summary>Arrivals with explicit ids and zones: (id, status, issued minute, zoned).</summary>
    private static GateVerdict DecideAfter(params (string Id, CustomsStatus Status, int Minute, bool Zoned)[] arrivals)
    {
        ContainerCustomsState? state = null;
        foreach (var (id, status, minute, zoned) in arrivals)
        {
            var notification = Notification(id, status, minute) with { IssuedAtZoned = zoned };
            state = state is null ? ContainerCustomsState.Start(notification) : state.Receive(notification).State;
        }
        return ReleaseDecision.Decide(state!);
    }

    [Theory]
    [InlineData(Hold)]
    [InlineData(InspectionRequired)]
    public void Decide_Issue10_ReleaseThenCompletionThenLateOlderOrder_NotClear(CustomsStatus lateOrder)
    {
        // n A RELEASED T+30, n B INSPECTION_COMPLETED T+40, n C <order> T+35: the order is newer than the release.
        var verdict = DecideAfter((Released, 30), (InspectionCompleted, 40), (lateOrder, 35));
        Assert.Equal(GateDecision.Hold, verdict.Decision);
    }

    [Fact]
    public void Decide_Issue10_SameNotificationsInIssueOrder_SameDecision() =>
        Assert.Equal(DecideAfter((Released, 30), (InspectionCompleted, 40), (Hold, 35)).Decision,
            DecideAfter((Released, 30), (Hold, 35), (InspectionCompleted, 40)).Decision);

    [Fact]
    public void Decide_ReleaseWithoutZoneAfterZonedHold_HoldSayingWhy()
    {
        var verdict = DecideAfter(("H", Hold, 0, true), ("R", Released, 50, false));
        Assert.Equal((GateDecision.Hold, DecisionRule.ReleaseWithoutTimeZone), (verdict.Decision, verdict.Rule));
    }

    [Fact]
    public void Decide_ReleaseWithoutZoneAlone_NeverClear() =>
        Assert.Equal(GateDecision.Hold, DecideAfter(("R", Released, 0, false)).Decision);

    [Theory]
    [InlineData(60, GateDecision.Hold)]
    [InlineData(14 * 60, GateDecision.Hold)]
    [InlineData(14 * 60 + 1, GateDecision.Clear)]
    public void Decide_HoldWithoutZone_CountsAtTheLatestInstantItMayName(int releaseMinute, GateDecision expected) =>
        Assert.Equal(expected, DecideAfter(("H", Hold, 0, false), ("R", Released, releaseMinute, true)).Decision);

    [Theory]
    [InlineData("4", GateDecision.Clear, DecisionRule.LiveQueryStatus, "Released by customs")]
    [InlineData("5", GateDecision.Inspect, DecisionRule.LiveQueryStatus, "Customs examination required")]
    [InlineData("7", GateDecision.Hold, DecisionRule.LiveQueryStatus, "Detained by customs")]
    [InlineData("1", GateDecision.Hold, DecisionRule.LiveQueryUnknownCode, "Customs gave no release for this container")]
    [InlineData("", GateDecision.Hold, DecisionRule.LiveQueryUnknownCode, "Customs gave no release for this container")]
    public void Decide_LiveAnswerWithDefaultMapping_FollowsUn7365(string code, GateDecision decision, DecisionRule rule, string reason)
    {
        var verdict = ReleaseDecision.Decide(CustomsLiveQueryResult.Answer(code, "REF", TimeSpan.Zero), new CustomsAuthorityOptions());
        Assert.Equal((decision, rule, reason), (verdict.Decision, verdict.Rule, verdict.Reason));
    }

    [Theory]
    [InlineData(CustomsLiveQueryOutcome.Timeout, DecisionRule.LiveQueryTimeout)]
    [InlineData(CustomsLiveQueryOutcome.Unreachable, DecisionRule.LiveQueryUnreachable)]
    [InlineData(CustomsLiveQueryOutcome.ServerError, DecisionRule.LiveQueryServerError)]
    [InlineData(CustomsLiveQueryOutcome.Rejected, DecisionRule.LiveQueryRejected)]
    [InlineData(CustomsLiveQueryOutcome.Malformed, DecisionRule.LiveQueryMalformed)]
    public void Decide_LiveFailure_HoldWithReason(CustomsLiveQueryOutcome outcome, DecisionRule rule)
    {
        var verdict = ReleaseDecision.Decide(CustomsLiveQueryResult.Failure(outcome, TimeSpan.Zero), new CustomsAuthorityOptions());
        Assert.Equal(GateDecision.Hold, verdict.Decision);
        Assert.Equal(rule, verdict.Rule);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Reason));
    }

    [Fact]
    public void Decide_LiveAnswerWithAuthorityMapping_UsesConfiguredCodes()
    {
        var authority = new CustomsAuthorityOptions { Name = "NL-AGS" };
        authority.StatusCodes["4"] = new CustomsStatusCodeRule { Decision = GateDecision.Hold, Reason = "Release suspended" };
        authority.StatusCodes["A1"] = new CustomsStatusCodeRule { Decision = GateDecision.Clear, Reason = "Vrijgegeven" };

        Assert.Equal(GateDecision.Hold, ReleaseDecision.Decide(CustomsLiveQueryResult.Answer("4", null, default), authority).Decision);
        Assert.Equal(GateDecision.Clear, ReleaseDecision.Decide(CustomsLiveQueryResult.Answer("A1", null, default), authority).Decision);
    }
}
