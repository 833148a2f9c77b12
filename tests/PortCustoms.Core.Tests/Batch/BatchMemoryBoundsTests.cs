using PortCustoms.Core.Batch;

namespace PortCustoms.Core.Tests.Batch;

/// <summary>The two per-file sets that grow with a file's messages, kept compact and exact (issue 13, memory).</summary>
public sealed class BatchMemoryBoundsTests
{
    [Fact]
    public void Message_references_are_told_apart_exactly_packed_or_not()
    {
        var set = new MessageReferenceSet();
        string[] distinct = ["", "\0", "\0\0", "A", "A\0", "1", "01", "001", "12345678", "123456789", "D1", "d1", "ÄBC", "ÄBC ", "\u20AC1", "ZZZZZZZZ", "ZZZZZZZY"];
        foreach (var reference in distinct)
        {
            Assert.True(set.Add(reference), reference);
        }
        foreach (var reference in distinct)
        {
            Assert.False(set.Add(new string(reference.AsSpan())), reference);
        }
        Assert.Equal(distinct.Length, set.Count);
        set.Clear();
        Assert.True(set.Add("12345678"));
        Assert.Equal(1, set.Count);
    }

    [Fact]
    public void Packing_gives_one_number_per_text_of_up_to_eight_ascii_characters()
    {
        var seen = new Dictionary<ulong, string>();
        var random = new Random(13);
        for (var i = 0; i < 200_000; i++)
        {
            var chars = new char[random.Next(0, 9)];
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = (char)random.Next(0, 128);
            }
            var text = new string(chars);
            Assert.True(MessageReferenceSet.TryPack(text, out var packed));
            if (seen.TryGetValue(packed, out var earlier))
            {
                Assert.Equal(earlier, text);
            }
            seen[packed] = text;
        }
        Assert.False(MessageReferenceSet.TryPack("123456789", out _));
        Assert.False(MessageReferenceSet.TryPack("É", out _));
    }

    [Fact]
    public void Rejected_messages_are_counted_once_and_read_back_in_order_across_pages()
    {
        using var analysis = new BatchAnalysis(new BatchFile("b", "f.edi", 0), new BatchBrokerOptions(), new BatchFindings());
        long[] rejected = [200_001, 1, 64, 65, 65_535, 65_536, 65_537, 3, 1];
        foreach (var index in rejected)
        {
            analysis.RejectItem(index);
        }

        Assert.Equal([1L, 3, 64, 65, 65_535, 65_536, 65_537, 200_001], analysis.RejectedItems);
        Assert.Equal(8, analysis.RejectedItemCount);
        Assert.True(analysis.IsRejected(65_536));
        Assert.False(analysis.IsRejected(2));
        Assert.False(analysis.IsRejected(200_002));
        Assert.False(analysis.IsRejected(10_000_000));
    }
}
