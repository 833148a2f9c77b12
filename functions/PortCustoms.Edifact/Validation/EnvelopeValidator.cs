using System.Buffers.Text;
using System.Globalization;
using System.Text;

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
    private byte[] _messageReference = new byte[16];
    private int _messageReferenceLength;
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

    public void OnServiceStringAdvice(EdifactPosition position)
    {
        if (InInterchange)
        {
            CloseOpenEnvelopes(position);
        }
    }

    /// <summary>Counts a data segment when a message is open, the common case; false when <see cref="OnDataSegment"/> must judge it.</summary>
    public bool TryCountMessageSegment()
    {
        if (!InMessage)
        {
            return false;
        }

        _messageSegments++;
        return true;
    }

    /// <summary>Whether a UNH here would open a message with no finding once an open one is closed: inside an interchange, not beside groups.</summary>
    public bool AcceptsMessageHeader => InInterchange && (InGroup || _interchangeGroups == 0);

    /// <summary>The open message's segments so far, its UNH included.</summary>
    public int MessageSegments => _messageSegments;

    /// <summary>The open message's reference (0062).</summary>
    public ReadOnlySpan<byte> MessageReference => _messageReference.AsSpan(0, _messageReferenceLength);

    /// <summary>
    /// What the bulk skip walked: the messages it closed (each UNT matched, so no finding), the one it opened (its UNH
    /// accepted, so none either) and the open message's segment count.
    /// </summary>
    public void OnMessageRun(scoped in MessageRun run)
    {
        if (run.Closed > 0)
        {
            InMessage = false;
            MessageCount += run.Closed;
            if (InGroup)
            {
                _groupMessages += run.Closed;
            }
            else
            {
                _interchangeMessages += run.Closed;
            }
        }

        if (run.Opened)
        {
            OnMessageHeader(run.Reference, run.Header);
        }

        if (InMessage)
        {
            _messageSegments = run.Segments;
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

    /// <summary>UNB, UNG, UNE or UNZ, in full: rare enough to materialise.</summary>
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

    /// <summary>UNH, by the one value the envelope needs: the message reference (0062). Called once per message, so no strings.</summary>
    public void OnMessageHeader(ReadOnlySpan<byte> reference, EdifactPosition position)
    {
        if (InMessage)
        {
            CloseMessageWithoutTrailer(position);
        }

        if (!InInterchange)
        {
            if (!_outsideReported)
            {
                _outsideReported = true;
                ReportOutsideInterchange(position);
            }
        }
        else if (!InGroup && _interchangeGroups > 0)
        {
            _sink.Report(EdifactErrorCodes.GroupsAndMessagesMixed, "An interchange holds both groups and messages outside groups.", position, EdifactSyntaxErrorCodes.GroupsAndMessagesMixed);
        }

        InMessage = true;
        if (reference.Length > _messageReference.Length)
        {
            _messageReference = new byte[reference.Length];
        }

        reference.CopyTo(_messageReference);
        _messageReferenceLength = reference.Length;
        _messageSegments = 1;
    }

    /// <summary>UNT, by its segment count (0074) and message reference (0062).</summary>
    public void OnMessageTrailer(ReadOnlySpan<byte> count, ReadOnlySpan<byte> reference, EdifactPosition position)
    {
        if (!InMessage)
        {
            _sink.Report(EdifactErrorCodes.MessageTrailerUnexpected, "A message trailer (UNT) without its header (UNH).", position, EdifactSyntaxErrorCodes.InvalidOccurrenceOutsideMessage);
            return;
        }

        _messageSegments++;
        if (!Utf8Parser.TryParse(count, out int declared, out int consumed) || consumed != count.Length || declared != _messageSegments || count[0] is (byte)'-' or (byte)'+')
        {
            _sink.Report(EdifactErrorCodes.MessageCountMismatch, $"UNT says '{Encoding.Latin1.GetString(count)}' segments, found {_messageSegments}.", position.At(1), EdifactSyntaxErrorCodes.ControlCountDoesNotMatch);
        }

        ReadOnlySpan<byte> expected = _messageReference.AsSpan(0, _messageReferenceLength);
        if (!reference.SequenceEqual(expected))
        {
            _sink.Report(EdifactErrorCodes.MessageReferenceMismatch, $"UNT reference '{Encoding.Latin1.GetString(reference)}' does not match UNH reference '{Encoding.Latin1.GetString(expected)}'.", position.At(2), EdifactSyntaxErrorCodes.ReferencesDoNotMatch);
        }

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
