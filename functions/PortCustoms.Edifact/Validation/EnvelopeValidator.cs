using System.Globalization;

namespace PortCustoms.Edifact;

/// <summary>
/// The ISO 9735 envelope rules: UNB..UNZ around UNG..UNE around UNH..UNT, with matching references and counts.
/// Fed every segment tag, and the service segments in full; reports findings, never throws.
/// </summary>
internal sealed class EnvelopeValidator
{
    private readonly DiagnosticSink _sink;
    private EdifactSegment? _interchangeHeader;
    private EdifactSegment? _groupHeader;
    private EdifactSegment? _messageHeader;
    private int _interchangeMessages;
    private int _interchangeGroups;
    private int _groupMessages;
    private int _messageSegments;
    private bool _outsideReported;

    public EnvelopeValidator(DiagnosticSink sink) => _sink = sink;

    public bool InInterchange { get; private set; }

    public bool InGroup { get; private set; }

    public bool InMessage { get; private set; }

    /// <summary>Whether an interchange has been closed by UNZ (so stray text after it is "text after UNZ").</summary>
    public bool AfterInterchange { get; private set; }

    public int InterchangeCount { get; private set; }

    public int GroupCount { get; private set; }

    public int MessageCount { get; private set; }

    public EdifactSegment? InterchangeHeader => _interchangeHeader;

    public EdifactSegment? GroupHeader => _groupHeader;

    /// <summary>The envelope segments this validator needs in full; every other segment only by tag.</summary>
    public static bool IsEnvelopeTag(ReadOnlySpan<byte> tag) =>
        tag is [(byte)'U', (byte)'N', (byte)'B' or (byte)'G' or (byte)'H' or (byte)'T' or (byte)'E' or (byte)'Z'];

    public void OnServiceStringAdvice(EdifactPosition position)
    {
        if (InInterchange)
        {
            CloseOpenEnvelopes(position);
        }
    }

    /// <summary>A segment other than the envelope ones.</summary>
    public void OnDataSegment(EdifactPosition position)
    {
        if (InMessage)
        {
            _messageSegments++;
            return;
        }

        if (_outsideReported)
        {
            return;
        }

        // Reported once per run of stray segments, not once per segment.
        _outsideReported = true;
        if (InInterchange)
        {
            _sink.Report(EdifactErrorCodes.SegmentOutsideMessage, "A segment outside any message (UNH..UNT).", position, EdifactSyntaxErrorCodes.InvalidOccurrenceOutsideMessage);
        }
        else
        {
            ReportOutsideInterchange(position);
        }
    }

    public void OnEnvelopeSegment(EdifactSegment segment)
    {
        switch (segment.Tag)
        {
            case "UNB":
                OnInterchangeHeader(segment);
                break;
            case "UNG":
                OnGroupHeader(segment);
                break;
            case "UNH":
                OnMessageHeader(segment);
                break;
            case "UNT":
                OnMessageTrailer(segment);
                break;
            case "UNE":
                OnGroupTrailer(segment);
                break;
            default:
                OnInterchangeTrailer(segment);
                break;
        }
    }

    /// <summary>The end of the data: every open envelope is missing its trailer.</summary>
    public void OnEnd(EdifactPosition position)
    {
        CloseOpenEnvelopes(position);
        if (InterchangeCount == 0 && !_outsideReported)
        {
            _sink.Report(EdifactErrorCodes.InterchangeHeaderMissing, "No interchange (UNB) found.", position, EdifactSyntaxErrorCodes.Missing);
        }
    }

    private void OnInterchangeHeader(EdifactSegment unb)
    {
        CloseOpenEnvelopes(unb.Position);
        InInterchange = true;
        InterchangeCount++;
        _interchangeHeader = unb;
        _groupHeader = null;
        _interchangeMessages = 0;
        _interchangeGroups = 0;
        _outsideReported = false;
        ReadOnlySpan<char> syntaxIdentifier = unb.GetValue(1, 1);
        if (syntaxIdentifier is not ("UNOA" or "UNOB" or "UNOC" or "UNOY" or "UNOW"))
        {
            _sink.Report(EdifactErrorCodes.SyntaxIdentifierUnsupported, $"Syntax identifier '{syntaxIdentifier}' is not one of UNOA, UNOB, UNOC, UNOY.", unb.Position.At(1, 1), EdifactSyntaxErrorCodes.SyntaxVersionOrLevelNotSupported);
        }
    }

    private void OnGroupHeader(EdifactSegment ung)
    {
        if (InMessage)
        {
            CloseMessageWithoutTrailer(ung.Position);
        }

        if (InGroup)
        {
            CloseGroupWithoutTrailer(ung.Position);
        }

        if (!InInterchange)
        {
            _sink.Report(EdifactErrorCodes.GroupHeaderUnexpected, "A group header (UNG) outside an interchange.", ung.Position, EdifactSyntaxErrorCodes.InvalidOccurrenceOutsideMessage);
        }
        else if (_interchangeMessages > 0)
        {
            _sink.Report(EdifactErrorCodes.GroupsAndMessagesMixed, "An interchange holds both groups and messages outside groups.", ung.Position, EdifactSyntaxErrorCodes.GroupsAndMessagesMixed);
        }

        InGroup = true;
        GroupCount++;
        _interchangeGroups++;
        _groupHeader = ung;
        _groupMessages = 0;
    }

    private void OnMessageHeader(EdifactSegment unh)
    {
        if (InMessage)
        {
            CloseMessageWithoutTrailer(unh.Position);
        }

        if (!InInterchange)
        {
            if (!_outsideReported)
            {
                _outsideReported = true;
                ReportOutsideInterchange(unh.Position);
            }
        }
        else if (!InGroup && _interchangeGroups > 0)
        {
            _sink.Report(EdifactErrorCodes.GroupsAndMessagesMixed, "An interchange holds both groups and messages outside groups.", unh.Position, EdifactSyntaxErrorCodes.GroupsAndMessagesMixed);
        }

        InMessage = true;
        _messageHeader = unh;
        _messageSegments = 1;
    }

    private void OnMessageTrailer(EdifactSegment unt)
    {
        if (!InMessage)
        {
            _sink.Report(EdifactErrorCodes.MessageTrailerUnexpected, "A message trailer (UNT) without its header (UNH).", unt.Position, EdifactSyntaxErrorCodes.InvalidOccurrenceOutsideMessage);
            return;
        }

        _messageSegments++;
        CheckCount(unt, _messageSegments, EdifactErrorCodes.MessageCountMismatch, "segments");
        CheckReference(unt, _messageHeader!.GetValue(1), EdifactErrorCodes.MessageReferenceMismatch, "UNH");
        CloseMessage();
    }

    private void OnGroupTrailer(EdifactSegment une)
    {
        if (InMessage)
        {
            CloseMessageWithoutTrailer(une.Position);
        }

        if (!InGroup)
        {
            _sink.Report(EdifactErrorCodes.GroupTrailerUnexpected, "A group trailer (UNE) without its header (UNG).", une.Position, EdifactSyntaxErrorCodes.InvalidOccurrenceOutsideMessage);
            return;
        }

        CheckCount(une, _groupMessages, EdifactErrorCodes.GroupCountMismatch, "messages");
        CheckReference(une, _groupHeader!.GetValue(5), EdifactErrorCodes.GroupReferenceMismatch, "UNG");
        InGroup = false;
    }

    private void OnInterchangeTrailer(EdifactSegment unz)
    {
        if (InMessage)
        {
            CloseMessageWithoutTrailer(unz.Position);
        }

        if (InGroup)
        {
            CloseGroupWithoutTrailer(unz.Position);
        }

        if (!InInterchange)
        {
            _sink.Report(EdifactErrorCodes.InterchangeTrailerUnexpected, "An interchange trailer (UNZ) without its header (UNB).", unz.Position, EdifactSyntaxErrorCodes.InvalidOccurrenceOutsideMessage);
            return;
        }

        // UNZ counts groups when the interchange has them, else messages.
        int expected = _interchangeGroups > 0 ? _interchangeGroups : _interchangeMessages;
        CheckCount(unz, expected, EdifactErrorCodes.InterchangeCountMismatch, _interchangeGroups > 0 ? "groups" : "messages");
        CheckReference(unz, _interchangeHeader!.GetValue(5), EdifactErrorCodes.InterchangeReferenceMismatch, "UNB");
        InInterchange = false;
        AfterInterchange = true;
        _outsideReported = false;
    }

    private void CheckCount(EdifactSegment trailer, int actual, string code, string what)
    {
        string declared = trailer.GetValue(1);
        if (!int.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count != actual)
        {
            _sink.Report(code, $"{trailer.Tag} says '{declared}' {what}, found {actual}.", trailer.Position.At(1), EdifactSyntaxErrorCodes.ControlCountDoesNotMatch);
        }
    }

    private void CheckReference(EdifactSegment trailer, string expected, string code, string header)
    {
        string reference = trailer.GetValue(2);
        if (!string.Equals(reference, expected, StringComparison.Ordinal))
        {
            _sink.Report(code, $"{trailer.Tag} reference '{reference}' does not match {header} reference '{expected}'.", trailer.Position.At(2), EdifactSyntaxErrorCodes.ReferencesDoNotMatch);
        }
    }

    private void CloseOpenEnvelopes(EdifactPosition position)
    {
        if (InMessage)
        {
            CloseMessageWithoutTrailer(position);
        }

        if (InGroup)
        {
            CloseGroupWithoutTrailer(position);
        }

        if (InInterchange)
        {
            _sink.Report(EdifactErrorCodes.InterchangeTrailerMissing, "The interchange has no trailer (UNZ).", position, EdifactSyntaxErrorCodes.Missing);
            InInterchange = false;
            AfterInterchange = true;
        }
    }

    private void CloseMessageWithoutTrailer(EdifactPosition position)
    {
        _sink.Report(EdifactErrorCodes.MessageTrailerMissing, "The message has no trailer (UNT).", position, EdifactSyntaxErrorCodes.Missing);
        CloseMessage();
    }

    private void CloseGroupWithoutTrailer(EdifactPosition position)
    {
        _sink.Report(EdifactErrorCodes.GroupTrailerMissing, "The group has no trailer (UNE).", position, EdifactSyntaxErrorCodes.Missing);
        InGroup = false;
    }

    private void CloseMessage()
    {
        InMessage = false;
        _messageHeader = null;
        MessageCount++;
        if (InGroup)
        {
            _groupMessages++;
        }
        else
        {
            _interchangeMessages++;
        }
    }

    private void ReportOutsideInterchange(EdifactPosition position)
    {
        if (AfterInterchange)
        {
            _sink.Report(EdifactErrorCodes.TextAfterInterchange, "Data after the interchange trailer (UNZ).", position, EdifactSyntaxErrorCodes.InvalidOccurrenceOutsideMessage);
        }
        else
        {
            _sink.Report(EdifactErrorCodes.InterchangeHeaderMissing, "A segment before the interchange header (UNB).", position, EdifactSyntaxErrorCodes.Missing);
        }
    }
}
