using System.Text;

namespace PortCustoms.Edifact.Tests;

/// <summary>Validates the same data in memory, through a trickling stream, a small-segmented pipe, and with messages; all must agree.</summary>
public static class Validation
{
    public static EdifactValidationResult Run(string text, EdifactValidationMode mode) => Run(Encoding.UTF8.GetBytes(text), mode);

    public static EdifactValidationResult Run(byte[] data, EdifactValidationMode mode)
    {
        var options = new EdifactValidationOptions { Mode = mode, BufferSize = 256 };
        var validator = new EdifactInterchangeValidator(options);

        EdifactValidationResult inMemory = validator.Validate(data);
        EdifactValidationResult streamed = validator.ValidateAsync(new NonSeekableStream(data, chunk: 7)).GetAwaiter().GetResult();
        EdifactValidationResult withMessages = validator.ValidateAsync(new NonSeekableStream(data, chunk: 3), (_, _) => { }).GetAwaiter().GetResult();
        var pipe = System.IO.Pipelines.PipeReader.Create(new NonSeekableStream(data, chunk: 5), new System.IO.Pipelines.StreamPipeReaderOptions(bufferSize: 16, minimumReadSize: 8));
        EdifactValidationResult piped = validator.ValidateAsync(pipe).GetAwaiter().GetResult();

        Assert.Equal(inMemory.Diagnostics, streamed.Diagnostics);
        Assert.Equal(inMemory.Diagnostics, piped.Diagnostics);
        Assert.Equal(Summary(inMemory), Summary(withMessages));
        Assert.Equal((inMemory.InterchangeCount, inMemory.MessageCount), (streamed.InterchangeCount, streamed.MessageCount));
        Assert.Equal((inMemory.InterchangeCount, inMemory.MessageCount), (withMessages.InterchangeCount, withMessages.MessageCount));
        return inMemory;
    }

    private static string Summary(EdifactValidationResult result) =>
        string.Join(';', result.Diagnostics.Select(d => $"{d.Code}@{d.Line}/{d.Segment}/{d.Severity}"));
}

/// <summary>A read-only, non-seekable stream that hands out at most <c>chunk</c> bytes per read, like a network stream.</summary>
public sealed class NonSeekableStream(byte[] data, int chunk) : Stream
{
    private int _position;

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
        int n = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
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
