using System.Collections.Concurrent;
using System.Text;

namespace PortCustoms.Edifact.Tests;

/// <summary>
/// A message read from a stream holds its tables in pooled arrays that <see cref="EdifactMessage.Dispose"/> gives
/// back for the next message. Reuse must never change what a reader kept: a message never disposed, the strings and
/// positions taken from a disposed one, and the messages read after it. (In debug builds returned arrays are
/// overwritten before they go back, so a table read after its release shows garbage instead of passing by chance.)
/// </summary>
public class MessagePoolingTests
{
    private static readonly string Interchange = BuildInterchange(60);

    [Fact]
    public async Task Disposing_each_message_as_it_is_read_changes_no_value_or_position()
    {
        List<string> kept = [];
        await foreach (EdifactMessage message in ReadAsync(Interchange))
        {
            kept.Add(Describe(message));
        }

        List<string> disposed = [];
        await foreach (EdifactMessage message in ReadAsync(Interchange))
        {
            disposed.Add(Describe(message));
            message.Dispose();
        }

        Assert.Equal(60, kept.Count);
        Assert.Equal(kept, disposed);
        Assert.Contains("FTX+AAA+B+C:D", kept[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_kept_undisposed_reads_the_same_after_later_messages_reused_the_pool()
    {
        EdifactMessage? keptMessage = null;
        string? before = null;
        EdifactSegment? keptSegment = null;
        EdifactElement? keptElement = null;
        await foreach (EdifactMessage message in ReadAsync(Interchange))
        {
            if (message.Index == 3)
            {
                keptMessage = message;
                before = Describe(message);
                keptSegment = message.Segments[3];
                keptElement = keptSegment.GetElement(2);
                continue;
            }

            message.Dispose();
        }

        Assert.NotNull(keptMessage);
        Assert.False(keptMessage.IsDisposed);
        Assert.Equal(before, Describe(keptMessage));
        Assert.Equal("MSCU0000034", keptSegment!.GetValue(2, 1));
        Assert.Equal("MSCU0000034", keptElement!.Value);
        Assert.Equal("3", keptMessage.Reference);
    }

    [Fact]
    public async Task What_was_taken_from_a_disposed_message_stays_and_its_segments_refuse_to_be_read()
    {
        var messages = ReadAsync(Interchange).GetAsyncEnumerator();
        Assert.True(await messages.MoveNextAsync());
        EdifactMessage first = messages.Current;
        EdifactSegment eqd = first.Segments[3];
        string container = eqd.GetValue(2, 1);
        EdifactPosition position = eqd.GetPosition(2, 1);
        EdifactElement element = eqd.GetElement(3)!;
        string reference = first.Reference;
        string type = first.MessageType;
        first.Dispose();
        first.Dispose();

        // The next messages take the arrays the first gave back.
        List<string> next = [];
        while (await messages.MoveNextAsync())
        {
            next.Add(Describe(messages.Current));
            if (next.Count == 3)
            {
                break;
            }
        }

        Assert.True(first.IsDisposed);
        Assert.Equal("MSCU0000014", container);
        Assert.Equal(new EdifactPosition(7, position.ByteOffset, 5, 2, 1), position);
        Assert.Equal(["45G1", "102", "5"], element.Components);
        Assert.Equal(("1", "COARRI"), (reference, type));
        Assert.Throws<ObjectDisposedException>(() => eqd.GetValue(2, 1));
        Assert.Throws<ObjectDisposedException>(() => eqd.Tag);
        Assert.Throws<ObjectDisposedException>(() => first.Header.GetSpan(1).ToString());
        Assert.Throws<ObjectDisposedException>(() => eqd.ToString());

        // Disposed twice, returned once: two later messages never share an array.
        Assert.Equal(3, next.Count);
        Assert.Contains("MSCU0000024", next[0], StringComparison.Ordinal);
        Assert.Contains("MSCU0000034", next[1], StringComparison.Ordinal);
        Assert.Contains("MSCU0000044", next[2], StringComparison.Ordinal);
        await messages.DisposeAsync();
    }

    [Fact]
    public async Task Two_messages_held_at_once_after_a_double_dispose_keep_their_own_values()
    {
        var messages = ReadAsync(Interchange).GetAsyncEnumerator();
        Assert.True(await messages.MoveNextAsync());
        messages.Current.Dispose();
        messages.Current.Dispose();
        Assert.True(await messages.MoveNextAsync());
        EdifactMessage second = messages.Current;
        string secondBefore = Describe(second);
        Assert.True(await messages.MoveNextAsync());
        EdifactMessage third = messages.Current;
        string thirdBefore = Describe(third);
        Assert.True(await messages.MoveNextAsync());
        messages.Current.Dispose();

        Assert.Equal(secondBefore, Describe(second));
        Assert.Equal(thirdBefore, Describe(third));
        Assert.NotEqual(secondBefore, thirdBefore);
        await messages.DisposeAsync();
    }

    [Fact]
    public async Task Messages_checked_and_disposed_on_another_thread_read_as_on_one()
    {
        List<string> expected = [];
        await foreach (EdifactMessage message in ReadAsync(Interchange))
        {
            expected.Add(Describe(message));
        }

        // The reader hands each message over and goes on reading; the checker owns it until it disposes it.
        using var handOver = new BlockingCollection<EdifactMessage>(boundedCapacity: 4);
        List<string> seen = [];
        Task checker = Task.Run(() =>
        {
            foreach (EdifactMessage message in handOver.GetConsumingEnumerable())
            {
                seen.Add(Describe(message));
                message.Dispose();
            }
        });
        await foreach (EdifactMessage message in ReadAsync(Interchange))
        {
            handOver.Add(message);
        }

        handOver.CompleteAdding();
        await checker;

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Validator_callbacks_that_dispose_report_the_same_findings()
    {
        // Structure-like findings built from the message inside the callback, kept after it disposed the message.
        static async Task<List<string>> Findings(bool dispose)
        {
            EdifactValidationResult result = await new EdifactInterchangeValidator().ValidateAsync(
                new MemoryStream(Encoding.Latin1.GetBytes(Interchange)),
                (message, findings) =>
                {
                    EdifactSegment eqd = message.Segments[3];
                    findings.Add(new EdifactDiagnostic("TEST-CONTAINER", EdifactSeverity.Warning, eqd.GetValue(2, 1), eqd.GetPosition(2, 1)));
                    if (dispose)
                    {
                        message.Dispose();
                    }
                });
            return [.. result.Diagnostics.Where(d => d.Code == "TEST-CONTAINER").Select(d => $"{d.Message} {d.Position}")];
        }

        List<string> kept = await Findings(dispose: false);
        Assert.Equal(60, kept.Count);
        Assert.Equal(kept, await Findings(dispose: true));
    }

    /// <summary>Everything a reader can ask of a message: tags, positions, every component, element objects.</summary>
    private static string Describe(EdifactMessage message)
    {
        var text = new StringBuilder();
        text.Append(message.Index).Append(' ').Append(message.Reference).Append(' ').Append(message.MessageType).Append(' ').Append(message.HasTrailer).Append('\n');
        foreach (EdifactSegment segment in message.Segments)
        {
            text.Append(segment).Append(" @").Append(segment.Position).Append(' ').Append(segment.ElementCount);
            for (int e = 1; e <= segment.ElementCount; e++)
            {
                text.Append(" [").Append(segment.GetPosition(e, 1)).Append(' ').Append(segment.GetComponentCount(e));
                for (int c = 1; c <= segment.GetComponentCount(e); c++)
                {
                    text.Append(' ').Append(segment.GetSpan(e, c));
                }

                text.Append(']');
            }

            foreach (EdifactElement element in segment.Elements)
            {
                text.Append(" {").Append(element.Index).Append(':').Append(element.Repetition).Append(' ').Append(element).Append(' ').Append(element.Position).Append('}');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static async IAsyncEnumerable<EdifactMessage> ReadAsync(string interchange)
    {
        // A small buffer: messages complete at different points of it, and escapes and line feeds cross its ends.
        await using var reader = new EdifactStreamReader(new MemoryStream(Encoding.Latin1.GetBytes(interchange)), new EdifactValidationOptions { BufferSize = 512 });
        await foreach (EdifactMessage message in reader.ReadMessagesAsync())
        {
            yield return message;
        }
    }

    /// <summary>Messages of different sizes (a growing FTX), escapes, an element on a later line, repetitions.</summary>
    private static string BuildInterchange(int count)
    {
        var text = new StringBuilder("UNA:+.?*'\nUNB+UNOC:4+S+R+20261204:2200+1'\n");
        for (int i = 1; i <= count; i++)
        {
            string ftx = new('x', (i * 37) % 400);
            text.Append($"UNH+{i}+COARRI:D:95B:UN'\nBGM+44+R{i}+9'\nFTX+AAA+B?+C:D+{ftx}\n+E*F'\n");
            text.Append($"EQD+CN+MSCU{i:D6}4+45G1:102:5'\nLOC+147+0{i}::5'\nUNT+6+{i}'\n");
        }

        text.Append($"UNZ+{count}+1'\n");
        return text.ToString();
    }
}
