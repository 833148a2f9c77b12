using System.Buffers;
using System.Text;

namespace PortCustoms.Edifact.Tests;

/// <summary>A token as read, detached from the reader so it can be compared across read modes.</summary>
public sealed record Token(EdifactTokenType Type, string Value, string Raw, bool Escaped, EdifactPosition Position)
{
    public static Token From(ref EdifactReader reader)
    {
        string raw = Encoding.Latin1.GetString(reader.ValueSpan);
        string value = reader.TokenType is EdifactTokenType.Element or EdifactTokenType.Component or EdifactTokenType.Repetition
            ? reader.GetString()
            : raw;
        return new Token(reader.TokenType, value, raw, reader.ValueIsEscaped, reader.TokenPosition);
    }

    public override string ToString() => $"{Type} '{Value}' @{Position}";
}

/// <summary>Reads all tokens of some input in one of the <see cref="ReadMode"/>s.</summary>
public static class TokenReader
{
    public static List<Token> ReadAll(string text, ReadMode mode, EdifactReaderOptions options = default) =>
        ReadAll(Encoding.UTF8.GetBytes(text), mode, options);

    public static List<Token> ReadAll(byte[] data, ReadMode mode, EdifactReaderOptions options = default)
    {
        switch (mode)
        {
            case ReadMode.SingleSpan:
                return ReadSpan(data, options);
            case ReadMode.SequenceSplitAtEveryByte:
                List<Token> tokens = ReadSequence(SequenceFactory.OneBytePerSegment(data), options);
                for (int split = 0; split <= data.Length; split++)
                {
                    List<Token> again = ReadSequence(SequenceFactory.SplitAt(data, split), options);
                    Assert.Equal(tokens, again);
                }

                return tokens;
            default:
                return ReadResumed(data, options);
        }
    }

    /// <summary>Runs <see cref="ReadAll(byte[], ReadMode, EdifactReaderOptions)"/> expecting an exception, in any mode.</summary>
    public static EdifactException ReadExpectingError(string text, ReadMode mode, EdifactReaderOptions options = default) =>
        Assert.Throws<EdifactException>(() => ReadAll(Encoding.UTF8.GetBytes(text), mode, options));

    private static List<Token> ReadSpan(byte[] data, EdifactReaderOptions options)
    {
        var tokens = new List<Token>();
        var reader = new EdifactReader(data, isFinalBlock: true, new EdifactReaderState(options));
        while (reader.Read())
        {
            tokens.Add(Token.From(ref reader));
        }

        Assert.Equal(data.Length, reader.BytesConsumed);
        return tokens;
    }

    private static List<Token> ReadSequence(ReadOnlySequence<byte> data, EdifactReaderOptions options)
    {
        var tokens = new List<Token>();
        var reader = new EdifactReader(data, isFinalBlock: true, new EdifactReaderState(options));
        while (reader.Read())
        {
            tokens.Add(Token.From(ref reader));
        }

        Assert.Equal(data.Length, reader.BytesConsumed);
        Assert.Equal(data.Length, data.Slice(0, reader.Position).Length);
        return tokens;
    }

    private static List<Token> ReadResumed(byte[] data, EdifactReaderOptions options)
    {
        var tokens = new List<Token>();
        var state = new EdifactReaderState(options);
        int consumed = 0;
        for (int available = 0; available <= data.Length; available++)
        {
            var reader = new EdifactReader(data.AsSpan(consumed, available - consumed), isFinalBlock: available == data.Length, state);
            while (reader.Read())
            {
                tokens.Add(Token.From(ref reader));
            }

            consumed += checked((int)reader.BytesConsumed);
            state = reader.CurrentState;
        }

        Assert.Equal(data.Length, consumed);
        return tokens;
    }
}

/// <summary>Builds multi-segment sequences.</summary>
public static class SequenceFactory
{
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data) =>
        FromChunks([.. data.Select(b => new[] { b })]);

    public static ReadOnlySequence<byte> SplitAt(byte[] data, int split) =>
        FromChunks([data[..split], data[split..]]);

    public static ReadOnlySequence<byte> FromChunks(IReadOnlyList<byte[]> chunks)
    {
        if (chunks.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Chunk(chunks[0], 0);
        Chunk last = first;
        for (int i = 1; i < chunks.Count; i++)
        {
            last = last.Append(chunks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(byte[] data, long runningIndex)
        {
            Memory = data;
            RunningIndex = runningIndex;
        }

        public Chunk Append(byte[] data)
        {
            var next = new Chunk(data, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
