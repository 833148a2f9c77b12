namespace PortCustoms.Core.Gate;

/// <summary>Why a gate decision came out as it did: stored with every audit record. Stable names; do not rename.</summary>
public enum DecisionRule : byte
{
    /// <summary>HOLD: nothing received from customs for this container.</summary>
    NoCustomsRecord = 0,

    /// <summary>CLEAR: a release newer than every hold and inspection order.</summary>
    ReleasedAfterOrders = 1,

    /// <summary>INSPECT: an inspection order without a later completion.</summary>
    InspectionOpen = 2,

    /// <summary>HOLD: the inspection is completed, but no release is newer than the inspection order.</summary>
    InspectionCompletedAwaitingRelease = 3,

    /// <summary>HOLD: a hold order with no later release.</summary>
    HeldByCustoms = 4,

    /// <summary>HOLD: the newest release had no time zone, so it cannot be ordered against the hold and inspection orders.</summary>
    ReleaseWithoutTimeZone = 5,

    /// <summary>The live query answered a status code that the customs authority's mapping names.</summary>
    LiveQueryStatus = 10,

    /// <summary>HOLD: the live query answered a status code the mapping does not know.</summary>
    LiveQueryUnknownCode = 11,

    /// <summary>HOLD: the live query did not answer within the budget.</summary>
    LiveQueryTimeout = 12,

    /// <summary>HOLD: the customs platform could not be reached (connection failure or circuit open).</summary>
    LiveQueryUnreachable = 13,

    /// <summary>HOLD: the customs platform answered with a server error (5xx).</summary>
    LiveQueryServerError = 14,

    /// <summary>HOLD: the customs platform refused the query (4xx).</summary>
    LiveQueryRejected = 15,

    /// <summary>HOLD: the answer could not be read, or was about another container.</summary>
    LiveQueryMalformed = 16,

    /// <summary>HOLD: the status store could not be read and no live query was possible.</summary>
    StoreUnavailable = 20,
}
