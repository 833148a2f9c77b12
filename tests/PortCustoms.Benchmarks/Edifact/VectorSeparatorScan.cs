using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PortCustoms.Benchmarks.Edifact;

/// <summary>
/// The speed limit for any EDIFACT tokenizer on this machine: find every separator, terminator and release character
/// with 32-byte vector compares and walk the set bits, doing nothing else.
/// </summary>
internal static class VectorSeparatorScan
{
    /// <summary>Counts the service characters in <paramref name="data"/> (and sums their offsets so the work is not elided).</summary>
    public static (long Count, long Checksum) Scan(ReadOnlySpan<byte> data)
    {
        var terminator = Vector256.Create((byte)'\'');
        var element = Vector256.Create((byte)'+');
        var component = Vector256.Create((byte)':');
        var release = Vector256.Create((byte)'?');
        ref byte start = ref MemoryMarshal.GetReference(data);
        long count = 0;
        long checksum = 0;
        int i = 0;
        for (; i + Vector256<byte>.Count <= data.Length; i += Vector256<byte>.Count)
        {
            Vector256<byte> block = Vector256.LoadUnsafe(ref start, (nuint)i);
            Vector256<byte> hits = Vector256.Equals(block, terminator) | Vector256.Equals(block, element)
                | Vector256.Equals(block, component) | Vector256.Equals(block, release);
            uint bits = hits.ExtractMostSignificantBits();
            while (bits != 0)
            {
                checksum += i + BitOperations.TrailingZeroCount(bits);
                count++;
                bits &= bits - 1;
            }
        }

        for (; i < data.Length; i++)
        {
            if (data[i] is (byte)'\'' or (byte)'+' or (byte)':' or (byte)'?')
            {
                checksum += i;
                count++;
            }
        }

        return (count, checksum);
    }
}
