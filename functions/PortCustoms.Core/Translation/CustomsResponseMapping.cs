using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.Core.CodeLists;
using PortCustoms.Core.Time;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Translation;

/// <summary>An application error customs reports in a CUSRES (ERP error point, ERC error code).</summary>
public sealed record CustomsResponseError(string Code, string? Section, string? Item);

/// <summary>What one CUSRES says, before it becomes notifications: the raw status code and its decision.</summary>
public sealed record CustomsResponse(
    string StatusCode,
    CustomsStatus Status,
    string? CustomsReference,
    DateTimeOffset IssuedAt,
    bool IssuedAtZoned,
    string? Reason,
    IReadOnlyList<ContainerNumber> Containers,
    IReadOnlyList<CustomsResponseError> Errors);

/// <summary>
/// CUSRES to customs notifications: the status from GIS 7365 through the authority's code map
/// (<see cref="CustomsAuthorityOptions.StatusCodes"/>, the same one the gate's live query uses), the customs reference
/// from RFF (ABT) or BGM 1004, the container(s) from EQD, the issue time from DTM (182 or 137), customs' text from FTX,
/// and ERP/ERC errors reported. A code the map does not name is HOLD, as at the gate.
/// </summary>
public static class CustomsResponseMapping
{
    /// <summary>Stable notification id: the sender, interchange reference and message reference (and the container when a message names several).</summary>
    public static string NotificationId(string sender, string interchangeReference, string messageReference, ContainerNumber? container = null) =>
        container is { } c ? $"EDI:{sender}:{interchangeReference}:{messageReference}:{c}" : $"EDI:{sender}:{interchangeReference}:{messageReference}";

    public static CustomsStatus StatusOf(GateDecision decision) => decision switch
    {
        GateDecision.Clear => CustomsStatus.Released,
        GateDecision.Inspect => CustomsStatus.InspectionRequired,
        _ => CustomsStatus.Hold,
    };

    internal static CustomsResponse? ReadResponse(MappingContext context, CustomsAuthorityOptions authority, DateTimeOffset? now = null, TimeSpan? maxSkew = null)
    {
        var bgm = context.First(context.Root, "BGM");
        if (bgm is null)
        {
            return null;
        }

        // Status: the most restrictive mapped GIS code at message level. Any code the map does not name makes the whole
        // message HOLD, even beside a release: customs said something PortCustoms cannot read.
        string? statusCode = null;
        var status = CustomsStatus.None;
        EdifactSegment? unmapped = null;
        foreach (var gis in context.Segments(context.Root, "GIS"))
        {
            var code = gis.GetValue(1, 1);
            if (authority.StatusCodes.TryGetValue(code, out var rule))
            {
                var candidate = StatusOf(rule.Decision);
                if (candidate > status)
                {
                    status = candidate;
                    statusCode = code;
                }
            }
            else
            {
                unmapped ??= gis;
            }
        }
        if (unmapped is not null)
        {
            var code = unmapped.GetValue(1, 1);
            var beside = status == CustomsStatus.None ? string.Empty : $" beside '{statusCode}'";
            statusCode = code;
            status = CustomsStatus.Hold;
            // Always HOLD, whatever CodeLists:Unmapped says: rejecting would lose what customs said; holding is safe.
            context.CodeLists.CountUnmapped(CodeListNames.CustomsStatus, code);
            context.Warning(MappingErrorCodes.CustomsStatusUnmapped,
                $"GIS 7365 '{code}'{beside} is not in the {authority.Name} mapping (CustomsAuthority:StatusCodes): the message is read as HOLD.", unmapped, 1, 1);
        }
        else if (status == CustomsStatus.None)
        {
            context.Error(MappingErrorCodes.CustomsStatusMissing, "The CUSRES has no processing indicator (GIS 7365).", bgm);
            return null;
        }

        string? reference = null;
        foreach (var group in context.Root.GroupsOf("RFF"))
        {
            var rff = context.TriggerOf(group);
            if (rff.GetValue(1, 1) == EdifactCodes.CustomsDeclaration || reference is null)
            {
                reference = MappingContext.NullIfEmpty(rff.GetValue(1, 2)) ?? reference;
            }
        }
        reference ??= MappingContext.NullIfEmpty(bgm.GetValue(2));

        DateTimeOffset? issuedAt = null;
        var issuedAtZoned = true;
        var dtm = context.Segments(context.Root, "DTM").FirstOrDefault(d => d.GetValue(1, 1) is EdifactCodes.IssueDate or EdifactCodes.DocumentDate)
            ?? context.Segments(context.Root, "DTM").FirstOrDefault();
        if (dtm is null)
        {
            context.Error(MappingErrorCodes.DateMissing, "The CUSRES has no issue date/time (DTM 182 or 137).", bgm);
        }
        else
        {
            // A time without a zone is ordered only when the authority's own zone is configured; otherwise the
            // notification carries "unzoned" and a release can never clear. In a daylight-saving overlap a release
            // is the earlier instant and a hold or inspection the later: the guess never lets a release outrank an order.
            var overlap = status == CustomsStatus.Released ? OverlapChoice.Earlier : OverlapChoice.Later;
            issuedAt = context.Date(dtm, overlap, out var zoned);
            issuedAtZoned = issuedAt is null || zoned;
            if (issuedAt is { } at && now is { } current && maxSkew is { } skew && at > current + skew)
            {
                context.Error(MappingErrorCodes.DateInFuture,
                    $"The issue time {at:O} lies more than {skew.TotalMinutes:0.#} minutes after PortCustoms' clock.", dtm, 1, 2);
            }
        }

        // A text longer than one 4440 (an..70) continues in the next component; separate FTX segments are separate sentences.
        var text = string.Join(' ', context.Segments(context.Root, "FTX").Select(f => string.Concat(f.GetElement(4)?.Components ?? [])).Where(t => t.Length > 0));

        var containers = new List<ContainerNumber>();
        foreach (var eqd in context.SegmentsDeep(context.Root, "EQD"))
        {
            if (eqd.GetValue(1) != EdifactCodes.Container)
            {
                context.Warning(MappingErrorCodes.EquipmentNotContainer, $"EQD equipment '{eqd.GetValue(1)}' is not a container (CN); not mapped.", eqd, 1);
                continue;
            }
            var container = context.Container(eqd, 2, 1);
            if (!container.IsEmpty && !containers.Contains(container))
            {
                containers.Add(container);
            }
        }
        if (containers.Count == 0 && context.ErrorCount == 0)
        {
            context.Error(MappingErrorCodes.ContainerMissing, "The CUSRES names no container (EQD+CN): nothing to notify.", bgm);
        }

        var errors = new List<CustomsResponseError>();
        foreach (var group in context.Root.DescendantGroupsOf("ERP"))
        {
            var erp = context.TriggerOf(group);
            foreach (var erc in context.Segments(group, "ERC"))
            {
                var error = new CustomsResponseError(erc.GetValue(1, 1), MappingContext.NullIfEmpty(erp.GetValue(1, 1)), MappingContext.NullIfEmpty(erp.GetValue(1, 2)));
                errors.Add(error);
                context.Warning(MappingErrorCodes.CustomsError,
                    $"Customs reports error '{error.Code}' at section {error.Section ?? "-"} item {error.Item ?? "-"}.", erc, 1, 1);
            }
        }

        if (issuedAt is null || statusCode is null)
        {
            return null;
        }
        return new CustomsResponse(statusCode, status, reference, issuedAt.Value, issuedAtZoned, text.Length == 0 ? null : text, containers, errors);
    }

    internal static List<CustomsNotification> Read(MappingContext context, CustomsAuthorityOptions authority, DateTimeOffset receivedAt, TimeSpan? maxSkew = null)
    {
        var notifications = new List<CustomsNotification>();
        var response = ReadResponse(context, authority, receivedAt, maxSkew);
        if (response is null || context.ErrorCount > 0)
        {
            return notifications;
        }
        var message = context.Message;
        foreach (var container in response.Containers)
        {
            notifications.Add(new CustomsNotification
            {
                NotificationId = NotificationId(message.Sender, message.InterchangeReference, message.Reference, response.Containers.Count > 1 ? container : null),
                ContainerNumber = container,
                Status = response.Status,
                CustomsReference = response.CustomsReference,
                IssuedAt = response.IssuedAt,
                IssuedAtZoned = response.IssuedAtZoned,
                ReceivedAt = receivedAt,
                Reason = response.Reason,
            });
        }
        return notifications;
    }

    /// <summary>Writes a CUSRES (the customs side: the simulator, tests, the EDIFACT live-query answer).</summary>
    public static void Write(EdifactWriter writer, string reference, EdifactDirectory directory, string statusCode, ContainerNumber container, string? customsReference, DateTimeOffset issuedAt, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("UNH", [reference], ["CUSRES", directory.Version, directory.Release, "UN"]);
        writer.Write("BGM", [EdifactCodes.CustomsResponseGeneral], [customsReference], [EdifactCodes.Original]);
        var (value, format) = EdifactDates.Format(issuedAt);
        writer.Write("DTM", [EdifactCodes.IssueDate, value, format]);
        // D95B places GIS before FTX; D96B and later, FTX before GIS.
        var d95b = directory == EdifactDirectory.D95B;
        if (d95b)
        {
            writer.Write("GIS", [statusCode]);
        }
        if (!string.IsNullOrEmpty(reason))
        {
            writer.Write("FTX", ["AAH"], [], [], [.. Chunks(reason, 70).Take(5)]);
        }
        if (!d95b)
        {
            writer.Write("GIS", [statusCode]);
        }
        writer.Write("EQD", [EdifactCodes.Container], [container.ToString()]);
        // D95B makes the reference group mandatory; later directories allow it.
        writer.Write("RFF", [EdifactCodes.CustomsDeclaration, customsReference ?? reference]);
        writer.WriteMessageTrailer();
    }

    private static IEnumerable<string> Chunks(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }
}
