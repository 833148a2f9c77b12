using System.Buffers;
using System.Globalization;

namespace PortCustoms.Edifact.Tests;

/// <summary>Writes valid interchanges of any size with the <see cref="EdifactWriter"/>, so envelope counts are always right.</summary>
public static class InterchangeGenerator
{
    public static byte[] Small(int messages = 3, bool group = false, bool serviceStringAdvice = true)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new EdifactWriter(output, new EdifactWriterOptions { NewLineAfterSegment = true });
        if (serviceStringAdvice)
        {
            writer.WriteServiceStringAdvice();
        }

        WriteInterchangeHeader(writer, "IC1");
        if (group)
        {
            writer.WriteSegment("UNG", "CUSCAR", "SENDER", "RECIPIENT", "260101", "G1", "UN");
        }

        for (int i = 1; i <= messages; i++)
        {
            WriteMessage(writer, i);
        }

        if (group)
        {
            writer.WriteGroupTrailer();
        }

        writer.WriteInterchangeTrailer();
        return output.WrittenSpan.ToArray();
    }

    public static void WriteInterchangeHeader(EdifactWriter writer, string reference)
    {
        writer.WriteSegmentStart("UNB");
        writer.WriteElement("UNOC");
        writer.WriteComponent("3");
        writer.WriteElement("SENDER");
        writer.WriteComponent("14");
        writer.WriteElement("RECIPIENT");
        writer.WriteComponent("14");
        writer.WriteElement("260101");
        writer.WriteComponent("1200");
        writer.WriteElement(reference);
        writer.WriteSegmentEnd();
    }

    public static void WriteMessage(EdifactWriter writer, int number)
    {
        string reference = number.ToString(CultureInfo.InvariantCulture);
        writer.WriteSegmentStart("UNH");
        writer.WriteElement(reference);
        writer.WriteElement("CUSCAR");
        writer.WriteComponent("D");
        writer.WriteComponent("01B");
        writer.WriteComponent("UN");
        writer.WriteSegmentEnd();
        writer.WriteSegment("BGM", "85", "DOC" + reference, "9");
        writer.WriteSegmentStart("DTM");
        writer.WriteElement("137");
        writer.WriteComponent("202601011200");
        writer.WriteComponent("203");
        writer.WriteSegmentEnd();
        writer.WriteSegment("FTX", "AAA", "", "", "Release ?+ test: it's done");
        writer.WriteSegmentStart("EQD");
        writer.WriteElement("CN");
        writer.WriteElement("MSCU1234565");
        writer.WriteComponent("6346");
        writer.WriteComponent("5");
        writer.WriteElement("45G1");
        writer.WriteSegmentEnd();
        writer.WriteSegment("MEA", "AAE", "G", "KGM:25000.5");
        writer.WriteMessageTrailer();
    }
}

/// <summary>
/// A non-seekable stream producing one interchange of about <c>targetBytes</c>, message after message, never holding it all.
/// </summary>
public sealed class GeneratedInterchangeStream : Stream
{
    private readonly long _targetBytes;
    private readonly ArrayBufferWriter<byte> _pending = new(64 * 1024);
    private readonly EdifactWriter _writer;
    private int _pendingOffset;
    private int _messages;
    private bool _finished;

    public GeneratedInterchangeStream(long targetBytes)
    {
        _targetBytes = targetBytes;
        _writer = new EdifactWriter(_pending, new EdifactWriterOptions { NewLineAfterSegment = true });
        _writer.WriteServiceStringAdvice();
        InterchangeGenerator.WriteInterchangeHeader(_writer, "BIG1");
    }

    public int MessagesWritten => _messages;

    public long BytesProduced { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_pending.WrittenCount - _pendingOffset == 0)
        {
            if (_finished)
            {
                return 0;
            }

            _pending.ResetWrittenCount();
            _pendingOffset = 0;
            if (BytesProduced >= _targetBytes)
            {
                _writer.WriteInterchangeTrailer();
                _finished = true;
            }
            else
            {
                for (int i = 0; i < 64; i++)
                {
                    InterchangeGenerator.WriteMessage(_writer, ++_messages);
                }
            }
        }

        int n = Math.Min(buffer.Length, _pending.WrittenCount - _pendingOffset);
        _pending.WrittenSpan.Slice(_pendingOffset, n).CopyTo(buffer);
        _pendingOffset += n;
        BytesProduced += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
