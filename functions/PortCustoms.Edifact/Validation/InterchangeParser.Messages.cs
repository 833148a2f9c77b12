using System.Text;

namespace PortCustoms.Edifact;

// Materialising messages (when asked): segments and elements built from the tokens, one message at a time, refused past the limits.
internal sealed partial class InterchangeParser
{
    // Shared by every empty simple element; handed out only as IReadOnlyList<string>.
    private static readonly string[] EmptyComponents = [string.Empty];

    private readonly Queue<EdifactMessage> _completed = new();
    private readonly List<EdifactSegment> _messageSegments = [];
    private readonly List<EdifactElement> _elements = [];
    private readonly List<string> _components = [];
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

    private void CompleteElement()
    {
        if (_components.Count == 0)
        {
            return;
        }

        // Empty simple elements are the bulk of a hostile segment ("+++..."): they share one array.
        string[] components = _components is [{ Length: 0 }] ? EmptyComponents : [.. _components];
        _elements.Add(new EdifactElement(_elementIndex, _repetition, components, _elementPosition));
        _components.Clear();
    }

    /// <summary>
    /// Refuses the open message when it has passed a limit: memory is bounded by the options, never by the input.
    /// Its segments so far are dropped and the rest are skipped; envelope and syntax checks go on.
    /// </summary>
    private bool RefuseWhenTooLarge(EdifactPosition position)
    {
        string? limit =
            _messageSegments.Count >= _options.MaxMessageSegments ? $"{_options.MaxMessageSegments} segments"
            : position.ByteOffset - _messageHeader.ByteOffset >= _options.MaxMessageBytes ? $"{_options.MaxMessageBytes} bytes"
            : _messageValues >= _options.MaxMessageValues ? $"{_options.MaxMessageValues} data values"
            : null;
        if (limit is null)
        {
            return false;
        }

        _messageRefused = true;
        _messageSegments.Clear();
        _messageSegments.TrimExcess();
        _sink.ReportError(EdifactErrorCodes.MessageTooLarge, $"The message is larger than the limit of {limit} (at segment {position.Segment}): it is refused, its structure and content not read.", _messageHeader, null);
        return true;
    }

    private void FlushMessage(bool hasTrailer)
    {
        if (_messageRefused)
        {
            _messageRefused = false;
            _messageSegments.Clear();
            return;
        }

        if (_messageSegments.Count == 0)
        {
            return;
        }

        if (_materializeMessages)
        {
            _completed.Enqueue(new EdifactMessage(_interchange, _group, [.. _messageSegments], hasTrailer, _sink.Slice(_messageDiagnosticsStart), ++_messageIndex));
        }

        _messageSegments.Clear();
    }
}
