namespace PortCustoms.Core.Batch;

/// <summary>
/// The message references (UNH 0062) seen in one interchange, to find one used twice. Exact, and compact: a
/// reference of up to eight ASCII characters (nearly all of them) is kept as one 64-bit number, not a string, so
/// 100 000 references cost about 2 MB and nothing of a message outlives it; longer or other ones are kept as strings.
/// </summary>
internal sealed class MessageReferenceSet
{
    private readonly HashSet<ulong> _packed = [];
    private readonly HashSet<string> _others = new(StringComparer.Ordinal);

    public int Count => _packed.Count + _others.Count;

    /// <summary>True when <paramref name="reference"/> was not in the set (it is now).</summary>
    public bool Add(string reference) => TryPack(reference, out var packed) ? _packed.Add(packed) : _others.Add(reference);

    public void Clear()
    {
        _packed.Clear();
        _others.Clear();
    }

    /// <summary>Seven bits per character and the length in the top four: one number per text, never the same for two.</summary>
    internal static bool TryPack(string reference, out ulong packed)
    {
        packed = 0;
        if (reference.Length > 8)
        {
            return false;
        }
        foreach (var c in reference)
        {
            if (c > 0x7F)
            {
                packed = 0;
                return false;
            }
            packed = (packed << 7) | c;
        }
        packed |= (ulong)reference.Length << 60;
        return true;
    }
}
