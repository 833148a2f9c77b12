namespace PortCustoms.Edifact;

/// <summary>
/// What the validator's bulk skip needs from the envelope, and what it hands back: the open message (its segments so far
/// and its reference), whether a UNH may open one here, and the messages it opened and closed on the way. A UNH or UNT
/// is taken in the loop only when it raises no envelope finding; anything else stops the loop for the token path.
/// </summary>
internal ref struct MessageRun
{
    /// <summary>Whether a message is open: data segments count into it, and a UNT may close it.</summary>
    public bool InMessage;

    /// <summary>Whether a UNH may open a message without a finding (inside an interchange, not beside groups).</summary>
    public bool MayOpen;

    /// <summary>The open message's segments so far, its UNH included.</summary>
    public int Segments;

    /// <summary>The open message's reference (0062): the envelope's copy, or the bytes in the buffer once <see cref="Opened"/>.</summary>
    public ReadOnlySpan<byte> Reference;

    /// <summary>Messages closed by a UNT whose segment count and reference matched.</summary>
    public int Closed;

    /// <summary>Whether the message open at the end was opened in this run, by the UNH at <see cref="Header"/>.</summary>
    public bool Opened;

    /// <summary>Where that UNH starts.</summary>
    public EdifactPosition Header;
}
