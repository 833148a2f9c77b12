using System.Globalization;

namespace PortCustoms.Edifact.Contrl;

/// <summary>
/// Builds CONTRL messages (ISO 9735-5 / syntax service directory): a technical receipt (UCI only) or a
/// functional acknowledgement (UCI, then per message UCM with UCS/UCD pointing at each error).
/// </summary>
public static class ContrlBuilder
{
    // Maximum repeats from the CONTRL table: SG2 (UCS) 999 per UCM, UCD 99 per UCS.
    private const int MaxSegmentErrors = 999;
    private const int MaxElementErrors = 99;

    /// <summary>A technical acknowledgement: UCI only, saying the interchange was received (8) or acknowledged (7).</summary>
    /// <param name="interchange">The interchange received; its messages are not reported.</param>
    /// <param name="reference">UNH 0062 for the CONTRL itself.</param>
    /// <param name="syntaxVersion">Syntax version of the reply: 3 (CONTRL:D:3) or 4 (CONTRL:4:1).</param>
    /// <param name="action"><see cref="ContrlAction.Received"/> or <see cref="ContrlAction.Acknowledged"/>.</param>
    public static ContrlMessage BuildTechnical(ContrlInterchange interchange, string reference, int syntaxVersion = 3, ContrlAction action = ContrlAction.Received)
    {
        ArgumentNullException.ThrowIfNull(interchange);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        if (action is not (ContrlAction.Received or ContrlAction.Acknowledged))
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, "A technical receipt says received (8) or acknowledged (7).");
        }

        var segments = new List<ContrlSegment> { Header(reference, syntaxVersion), Uci(interchange, action, error: null) };
        return Finish(reference, segments);
    }

    /// <summary>
    /// A functional acknowledgement: UCI (rejected when the envelope has an error, else acknowledged), then for
    /// each message a UCM (rejected with UCS/UCD when it has errors, else acknowledged).
    /// </summary>
    /// <param name="interchange">The interchange received, with a report per message.</param>
    /// <param name="reference">UNH 0062 for the CONTRL itself.</param>
    /// <param name="syntaxVersion">Syntax version of the reply: 3 (CONTRL:D:3) or 4 (CONTRL:4:1).</param>
    public static ContrlMessage BuildFunctional(ContrlInterchange interchange, string reference, int syntaxVersion = 3)
    {
        ArgumentNullException.ThrowIfNull(interchange);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        ContrlError? envelopeError = interchange.InterchangeError;
        var segments = new List<ContrlSegment>
        {
            Header(reference, syntaxVersion),
            Uci(interchange, envelopeError is null ? ContrlAction.Acknowledged : ContrlAction.Rejected, envelopeError),
        };
        foreach (ContrlMessageReport message in interchange.Messages)
        {
            AddMessage(segments, message);
        }

        return Finish(reference, segments);
    }

    private static void AddMessage(List<ContrlSegment> segments, ContrlMessageReport message)
    {
        // UCM carries one error on the message's own header or trailer; everything else goes to UCS/UCD.
        int headerIndex = -1;
        for (int i = 0; i < message.Errors.Count; i++)
        {
            if (message.Errors[i].SegmentTag is "UNH" or "UNT")
            {
                headerIndex = i;
                break;
            }
        }

        ContrlError? headerError = headerIndex >= 0 ? message.Errors[headerIndex] : null;
        ContrlAction action = message.Errors.Count > 0 ? ContrlAction.Rejected : ContrlAction.Acknowledged;
        segments.Add(Segment(
            "UCM",
            [
                [message.Reference],
                [message.Type, message.Version, message.Release, message.ControllingAgency],
                [Code(action)],
                .. ErrorElements(headerError),
            ]));

        var bodyErrors = message.Errors
            .Where((_, i) => i != headerIndex)
            .OrderBy(e => e.SegmentPosition)
            .ThenBy(e => e.Element)
            .ThenBy(e => e.Component)
            .GroupBy(e => e.SegmentPosition);
        int segmentErrors = 0;
        foreach (IGrouping<int, ContrlError> atPosition in bodyErrors)
        {
            var segmentLevel = atPosition.Where(e => e.Element == 0).ToList();
            var elementLevel = atPosition.Where(e => e.Element > 0).Take(MaxElementErrors).ToList();

            // One UCS per segment-level error; element errors hang under the first UCS at that position.
            int ucsCount = Math.Max(segmentLevel.Count, 1);
            for (int u = 0; u < ucsCount && segmentErrors < MaxSegmentErrors; u++, segmentErrors++)
            {
                string code = u < segmentLevel.Count ? Number(segmentLevel[u].SyntaxErrorCode) : string.Empty;
                segments.Add(Segment("UCS", [Number(atPosition.Key)], [code]));
                if (u == 0)
                {
                    segments.AddRange(elementLevel.Select(e => Segment("UCD", [Number(e.SyntaxErrorCode)], Position(e))));
                }
            }
        }
    }

    private static ContrlSegment Header(string reference, int syntaxVersion) =>
        syntaxVersion >= 4
            ? Segment("UNH", [reference], ["CONTRL", "4", "1", "UN"])
            : Segment("UNH", [reference], ["CONTRL", "D", "3", "UN"]);

    private static ContrlSegment Uci(ContrlInterchange interchange, ContrlAction action, ContrlError? error) =>
        Segment(
            "UCI",
            [
                [interchange.ControlReference],
                [interchange.Sender.Identification, interchange.Sender.CodeQualifier, interchange.Sender.RoutingAddress],
                [interchange.Recipient.Identification, interchange.Recipient.CodeQualifier, interchange.Recipient.RoutingAddress],
                [Code(action)],
                .. ErrorElements(error),
            ]);

    /// <summary>0085, then 0013 (service segment tag) and S011 (element:component) when the error has a position.</summary>
    private static string[][] ErrorElements(ContrlError? error) =>
        error is not { } e
            ? []
            : [[Number(e.SyntaxErrorCode)], [e.SegmentTag], e.Element > 0 ? Position(e) : []];

    private static string[] Position(ContrlError error) =>
        error.Component > 0 ? [Number(error.Element), Number(error.Component)] : [Number(error.Element)];

    private static ContrlMessage Finish(string reference, List<ContrlSegment> segments)
    {
        segments.Add(Segment("UNT", [Number(segments.Count + 1)], [reference]));
        return new ContrlMessage(reference, segments);
    }

    private static string Code(ContrlAction action) => Number((int)action);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A segment with trailing empty components and elements removed, as ISO 9735 requires.</summary>
    private static ContrlSegment Segment(string tag, params string[][] elements)
    {
        var trimmed = new List<IReadOnlyList<string>>(elements.Length);
        foreach (string[] element in elements)
        {
            int length = element.Length;
            while (length > 0 && string.IsNullOrEmpty(element[length - 1]))
            {
                length--;
            }

            trimmed.Add(element[..length]);
        }

        while (trimmed.Count > 0 && trimmed[^1].Count == 0)
        {
            trimmed.RemoveAt(trimmed.Count - 1);
        }

        return new ContrlSegment(tag, trimmed);
    }
}
