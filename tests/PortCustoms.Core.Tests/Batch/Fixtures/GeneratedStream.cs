namespace PortCustoms.Core.Tests.Batch.Fixtures;

/// <summary>
/// A file made on the fly: a header, <c>count</c> generated records, a trailer. Not seekable and of unknown length,
/// so nothing can load it whole; it records how much was ever asked for at once.
/// </summary>
internal sealed class GeneratedStream(byte[] header, Func<long, byte[]> record, long count, byte[] trailer) : Stream
{
    private byte[] _current = header;
    private int _offset;
    private long _next;
    private bool _trailerDone;

    public long BytesProduced { get; private set; }

    public int LargestRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("A generated file has no known length.");

    public override long Position { get => BytesProduced; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        LargestRead = Math.Max(LargestRead, buffer.Length);
        var written = 0;
        while (written < buffer.Length)
        {
            if (_offset == _current.Length)
            {
                if (_next < count)
                {
                    _current = record(_next++);
                }
                else if (!_trailerDone)
                {
                    _current = trailer;
                    _trailerDone = true;
                }
                else
                {
                    break;
                }
                _offset = 0;
                continue;
            }
            var n = Math.Min(buffer.Length - written, _current.Length - _offset);
            _current.AsSpan(_offset, n).CopyTo(buffer[written..]);
            _offset += n;
            written += n;
        }
        BytesProduced += written;
        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
