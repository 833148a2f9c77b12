using System.Buffers;
using System.Text;
using System.Text.Json;

namespace PortCustoms.Core.Batch;

/// <summary>
/// Streams the items of terminal JSON (contracts/files.md) without holding the file: the events of a top-level array
/// (or a single top-level event object), or the <c>containers</c> of a discharge-list object with its top-level scalar
/// properties. Each item's raw UTF-8 is handed over on its own, so the existing single-object readers validate it, and
/// only one read buffer (grown to the largest item, at most <see cref="MaxItemBytes"/>) is ever held.
/// </summary>
public sealed class JsonItemReader
{
    public const int MaxItemBytes = 1024 * 1024;

    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 32 };

    private readonly bool _dischargeList;
    private Phase _phase;
    private JsonReaderState _state = new(Options);
    private long _items;

    private JsonItemReader(bool dischargeList) => _dischargeList = dischargeList;

    private enum Phase : byte
    {
        Start,
        Items,
        TopObject,
        End,
        Done,
    }

    /// <summary>Reads <paramref name="stream"/>, calling <paramref name="onItem"/> for each item (1-based index) and <paramref name="onProperty"/> for each top-level scalar of a discharge list.</summary>
    /// <returns>Null when the JSON was well formed; else why and where it is not (reading stops there).</returns>
    public static Task<BatchFinding?> ReadAsync(
        Stream stream,
        bool dischargeList,
        Func<ReadOnlyMemory<byte>, long, ValueTask> onItem,
        Action<string, string?>? onProperty,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onItem);
        return ReadPositionedAsync(stream, dischargeList, (item, at) => onItem(item, at.Index), onProperty, cancellationToken);
    }

    /// <summary>As the other overload, with each item's place in the file (index, line and column where it starts).</summary>
    public static async Task<BatchFinding?> ReadPositionedAsync(
        Stream stream,
        bool dischargeList,
        Func<ReadOnlyMemory<byte>, JsonItemPosition, ValueTask> onItem,
        Action<string, string?>? onProperty,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(onItem);
        var parser = new JsonItemReader(dischargeList);
        var lines = new LineCounter();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var filled = 0;
        var final = false;
        var items = new List<(int Start, int Length)>();
        var properties = new List<(string Name, string? Value)>();
        try
        {
            while (true)
            {
                if (!final)
                {
                    if (filled == buffer.Length)
                    {
                        if (buffer.Length >= MaxItemBytes * 2)
                        {
                            return BatchFinding.Error(BatchErrorCodes.JsonTooLarge, $"An item is larger than {MaxItemBytes} bytes.", new BatchPosition(0, 0, 0, 0, parser._items + 1));
                        }
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, filled).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                    filled += read;
                    final = read == 0;
                }
                items.Clear();
                properties.Clear();
                int consumed;
                try
                {
                    consumed = parser.Parse(buffer.AsSpan(0, filled), final, items, properties);
                }
                catch (JsonException ex)
                {
                    return BatchFinding.Error(BatchErrorCodes.JsonMalformed, $"The file is not valid JSON: {FirstSentence(ex.Message)}",
                        new BatchPosition((ex.LineNumber ?? -1) + 1, 0, 0, 0, parser._items + 1));
                }
                catch (BatchJsonShapeException ex)
                {
                    return BatchFinding.Error(BatchErrorCodes.JsonMalformed, ex.Message, new BatchPosition(0, 0, 0, 0, parser._items));
                }
                foreach (var (name, value) in properties)
                {
                    onProperty?.Invoke(name, value);
                }
                foreach (var (start, length) in items)
                {
                    var (line, column) = lines.At(buffer, start);
                    await onItem(buffer.AsMemory(start, length), new JsonItemPosition(++parser._items, line, column)).ConfigureAwait(false);
                }
                if (parser._phase == Phase.Done)
                {
                    return null;
                }
                if (final)
                {
                    return BatchFinding.Error(BatchErrorCodes.JsonMalformed, "The JSON ends before it is complete.", new BatchPosition(0, 0, 0, 0, parser._items + 1));
                }
                lines.Discard(buffer, consumed);
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot < 0 ? message : message[..(dot + 1)];
    }

    /// <summary>Parses what the buffer holds; returns the bytes consumed up to the last complete unit (an item, a property, a token).</summary>
    private int Parse(ReadOnlySpan<byte> data, bool final, List<(int, int)> items, List<(string, string?)> properties)
    {
        var reader = new Utf8JsonReader(data, final, _state);
        var checkpoint = (State: _state, Consumed: 0);
        while (true)
        {
            switch (_phase)
            {
                case Phase.Start:
                    if (!reader.Read())
                    {
                        return Rollback(checkpoint);
                    }
                    if (_dischargeList)
                    {
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            throw new BatchJsonShapeException("A discharge list is one JSON object with vesselImo, voyage and containers.");
                        }
                        _phase = Phase.TopObject;
                    }
                    else if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        _phase = Phase.Items;
                    }
                    else if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        var start = (int)reader.TokenStartIndex;
                        if (!reader.TrySkip())
                        {
                            return Rollback(checkpoint);
                        }
                        items.Add((start, (int)reader.BytesConsumed - start));
                        _phase = Phase.End;
                    }
                    else
                    {
                        throw new BatchJsonShapeException("Terminal JSON events are one event object or an array of them.");
                    }
                    break;
                case Phase.Items:
                    if (!reader.Read())
                    {
                        return Rollback(checkpoint);
                    }
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _phase = _dischargeList ? Phase.TopObject : Phase.End;
                        break;
                    }
                    var itemStart = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip())
                    {
                        return Rollback(checkpoint);
                    }
                    items.Add((itemStart, (int)reader.BytesConsumed - itemStart));
                    break;
                case Phase.TopObject:
                    if (!reader.Read())
                    {
                        return Rollback(checkpoint);
                    }
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        _phase = Phase.End;
                        break;
                    }
                    var name = reader.GetString()!;
                    if (!reader.Read())
                    {
                        return Rollback(checkpoint);
                    }
                    if (reader.TokenType == JsonTokenType.StartArray && name.Equals("containers", StringComparison.OrdinalIgnoreCase))
                    {
                        _phase = Phase.Items;
                    }
                    else if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                    {
                        if (!reader.TrySkip())
                        {
                            return Rollback(checkpoint);
                        }
                    }
                    else
                    {
                        properties.Add((name, reader.TokenType switch
                        {
                            JsonTokenType.String => reader.GetString(),
                            JsonTokenType.Null => null,
                            _ => Encoding.UTF8.GetString(reader.ValueSpan),
                        }));
                    }
                    break;
                case Phase.End:
                    if (reader.Read())
                    {
                        throw new BatchJsonShapeException("Unexpected content after the JSON value.");
                    }
                    if (!final)
                    {
                        return Rollback(checkpoint);
                    }
                    _phase = Phase.Done;
                    return (int)reader.BytesConsumed;
                default:
                    return (int)reader.BytesConsumed;
            }
            checkpoint = (reader.CurrentState, (int)reader.BytesConsumed);
        }

        int Rollback((JsonReaderState State, int Consumed) at)
        {
            // Items after the checkpoint are incomplete: drop them and read again with more data.
            _state = at.State;
            return at.Consumed;
        }
    }

    private sealed class BatchJsonShapeException(string message) : Exception(message);

    // Lines counted as the buffer is consumed, never rescanned: each byte is looked at once for '\n'.
    private sealed class LineCounter
    {
        private long _base;
        private int _scanned;
        private long _line = 1;
        private long _lineStart;

        public (long Line, long Column) At(byte[] buffer, int index)
        {
            Advance(buffer, index);
            return (_line, _base + index - _lineStart + 1);
        }

        public void Discard(byte[] buffer, int consumed)
        {
            Advance(buffer, consumed);
            _base += consumed;
            _scanned = 0;
        }

        private void Advance(byte[] buffer, int to)
        {
            while (_scanned < to)
            {
                var next = buffer.AsSpan(_scanned, to - _scanned).IndexOf((byte)'\n');
                if (next < 0)
                {
                    _scanned = to;
                    return;
                }
                _scanned += next + 1;
                _line++;
                _lineStart = _base + _scanned;
            }
        }
    }
}

/// <summary>Where an item of a terminal JSON file starts: its 1-based index, and 1-based line and byte column in the file.</summary>
public readonly record struct JsonItemPosition(long Index, long Line, long Column);
