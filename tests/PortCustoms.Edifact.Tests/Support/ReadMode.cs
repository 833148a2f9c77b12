namespace PortCustoms.Edifact.Tests;

/// <summary>The three ways every reader test reads its input; the tokens must be the same each way.</summary>
public enum ReadMode
{
    /// <summary>One span, final block.</summary>
    SingleSpan,

    /// <summary>A ReadOnlySequence of one-byte segments, and every two-segment split.</summary>
    SequenceSplitAtEveryByte,

    /// <summary>Fed one more byte at a time with isFinalBlock: false, resuming from CurrentState.</summary>
    ResumedAcrossBlocks,
}

public static class ReadModes
{
    public static TheoryData<ReadMode> All => [ReadMode.SingleSpan, ReadMode.SequenceSplitAtEveryByte, ReadMode.ResumedAcrossBlocks];
}
