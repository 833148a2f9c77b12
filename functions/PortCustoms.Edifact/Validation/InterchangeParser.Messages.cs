using System.Text;

namespace PortCustoms.Edifact;

// Materialising messages (when asked): segments and elements built from the tokens, one message at a time, refused past the limits.
internal sealed partial class InterchangeParser
{
    // A message's data segments are written straight into one builder's tables; UNH, UNT and the envelope segments
    // into the other first (UNH closes the previous message before it opens its own; UNT outside a message is dropped).
    private readonly EdifactMessageBuilder _messageBuilder = new();
    private readonly EdifactMessageBuilder _segmentBuilder = new();
    private readonly Queue<EdifactMessage> _completed = new();
    private EdifactMessageBuilder _builder = null!;
    private readonly Dictionary<int, string> _tags = [];
    private int _messageIndex;
    private int _messageValues;
    private bool _messageRefused;

    /// <summary>The tag as a string, shared between segments: a message reader sees the same few dozen tags millions of times.</summary>
    private string TagString(ReadOnlySpan<byte> tag)
    {
        if (tag.Length != 3)
        {
            return Encoding.Latin1.GetString(tag);
        }

        int key = (tag[0] << 16) | (tag[1] << 8) | tag[2];
        if (!_tags.TryGetValue(key, out string? text))
        {
            text = Encoding.Latin1.GetString(tag);
            if (_tags.Count < 4096)
            {
                _tags[key] = text;
            }
        }

        return text;
    }

    /// <summary>
    /// Refuses the open message when it has passed a limit: memory is bounded by the options, never by the input.
    /// Its segments so far are dropped and the rest are skipped; envelope and syntax checks go on.
    /// </summary>
    private bool RefuseWhenTooLarge(EdifactPosition position)
    {
        string? limit =
            _messageBuilder.SegmentCount >= _options.MaxMessageSegments ? $"{_options.MaxMessageSegments} segments"
            : position.ByteOffset - _messageHeader.ByteOffset >= _options.MaxMessageBytes ? $"{_options.MaxMessageBytes} bytes"
            : _messageValues >= _options.MaxMessageValues ? $"{_options.MaxMessageValues} data values"
            : null;
        if (limit is null)
        {
            return false;
        }

        _messageRefused = true;
        _messageBuilder.Reset(keep: 64 * 1024);
        _sink.ReportError(EdifactErrorCodes.MessageTooLarge, $"The message is larger than the limit of {limit} (at segment {position.Segment}): it is refused, its structure and content not read.", _messageHeader, null);
        return true;
    }

    private void FlushMessage(bool hasTrailer)
    {
        if (_messageRefused)
        {
            _messageRefused = false;
            _messageBuilder.Reset();
            return;
        }

        if (_messageBuilder.SegmentCount == 0)
        {
            return;
        }

        if (_materializeMessages)
        {
            EdifactMessageData data = _messageBuilder.Build(handOver: true);
            _completed.Enqueue(new EdifactMessage(_interchange, _group, EdifactMessageBuilder.CreateSegments(data), hasTrailer, _sink.Slice(_messageDiagnosticsStart), ++_messageIndex));
        }

        _messageBuilder.Reset();
    }
}
