namespace PortCustoms.Core.CustomsPlatform;

/// <summary>A live status query for one container, as sent to the customs platform.</summary>
public sealed record CustomsStatusQueryMessage(string QueryId, string ContainerNumber);

/// <summary>
/// The customs platform's answer to a status query: the container's status code in the authority's code list
/// (UN/EDIFACT 7365 by default) and the customs reference.
/// </summary>
public sealed record CustomsStatusAnswerMessage(string ContainerNumber, string StatusCode, string? CustomsReference = null, DateTimeOffset? IssuedAt = null);
