namespace PortCustoms.Edifact.Structure;

/// <summary>
/// The valid-message fast path of <see cref="StructureValidator"/>: the same group resolution and element checks over
/// a <see cref="CompiledStructure"/> and the message's compact tables, ints only, allocating one exact layout array per
/// message. It answers only "no finding at all" (with the layout); at the first thing the full validator would report
/// it gives up, and the caller runs the full validator, which words and positions every finding. So findings cannot
/// differ between the paths: the fast one never makes any.
/// </summary>
internal static class FastStructureCheck
{
    // Frames of the group resolver: container, entry index, count at that entry, group occurrence (0: message level).
    private const int FrameInts = 4;

    [ThreadStatic]
    private static int[]? t_scratch;

    /// <summary>
    /// Resolves and checks a message; true, with the placements as a <see cref="PlacementLayout"/> array, when the full
    /// validator would find nothing.
    /// </summary>
    internal static bool TryValidate(CompiledStructure compiled, EdifactSegment[] segments, int syntaxVersion, out int[] layout)
    {
        layout = [];
        int count = segments.Length;
        SegmentSpec?[] specs = syntaxVersion >= 4 ? compiled.SegmentSpecs4 : compiled.SegmentSpecs3;

        // Per segment two ints (group occurrence, segment occurrence); per group occurrence three (container, parent,
        // occurrence). A group occurrence starts with a segment, so there are at most as many as segments.
        // The resolver's frames sit behind the layout in the same reused array (nothing to clear or allocate per message).
        int need = (count * PlacementLayout.SegmentInts) + (count * PlacementLayout.GroupInts);
        int frameInts = (compiled.MaxDepth + 1) * FrameInts;
        int[] scratch = t_scratch is { } reused && reused.Length >= need + frameInts ? reused : Scratch(need + frameInts);
        Span<int> frames = scratch.AsSpan(scratch.Length - frameInts);
        int groupBase = count * PlacementLayout.SegmentInts;
        int groups = 0;

        int[] slotTag = compiled.SlotTag;
        int[] slotMax = compiled.SlotMax;
        int[] childStart = compiled.ChildStart;
        int[] childCount = compiled.ChildCount;

        // The message level: no entry matched yet.
        int top = 0;
        frames[0] = 0;
        frames[1] = -1;
        frames[2] = 0;
        frames[3] = 0;

        for (int i = 0; i < count; i++)
        {
            EdifactSegment segment = segments[i];
            int tag = compiled.TagId(segment.Tag);
            if (tag < 0)
            {
                return false;
            }

            // The innermost open group that can still take the segment, searching forward (GroupResolver.TryFind).
            int depth = top;
            int index = -1;
            for (; depth >= 0; depth--)
            {
                int f = depth * FrameInts;
                int container = frames[f];
                int current = frames[f + 1];
                int start = childStart[container];
                int end = childCount[container];
                for (int k = current < 0 ? 0 : current; k < end; k++)
                {
                    if (slotTag[start + k] != tag)
                    {
                        continue;
                    }

                    // Full here (an own trigger starts the next occurrence outside): a later or outer place, or a finding.
                    if (k == current && frames[f + 2] >= slotMax[start + k])
                    {
                        continue;
                    }

                    index = k;
                    break;
                }

                if (index >= 0)
                {
                    break;
                }
            }

            if (index < 0)
            {
                return false;
            }

            // Groups closed by the move must have had every mandatory entry.
            for (; top > depth; top--)
            {
                int f = top * FrameInts;
                int container = frames[f];
                if (compiled.AnyMandatory(container, frames[f + 1] + 1, childCount[container]))
                {
                    return false;
                }
            }

            int at = top * FrameInts;
            int frameContainer = frames[at];
            if (index == frames[at + 1])
            {
                frames[at + 2]++;
            }
            else
            {
                if (compiled.AnyMandatory(frameContainer, frames[at + 1] + 1, index))
                {
                    return false;
                }

                frames[at + 1] = index;
                frames[at + 2] = 1;
            }

            int group = compiled.SlotGroup[childStart[frameContainer] + index];
            if (group >= 0)
            {
                groups++;
                int g = groupBase + ((groups - 1) * PlacementLayout.GroupInts);
                scratch[g] = group;
                scratch[g + 1] = frames[at + 3];
                scratch[g + 2] = frames[at + 2];
                top++;
                at = top * FrameInts;
                frames[at] = group;
                frames[at + 1] = 0;
                frames[at + 2] = 1;
                frames[at + 3] = groups;
            }

            scratch[i * PlacementLayout.SegmentInts] = frames[at + 3];
            scratch[(i * PlacementLayout.SegmentInts) + 1] = frames[at + 2];

            if (specs[tag] is { } spec && !ElementsAccepted(spec, segment))
            {
                return false;
            }
        }

        // The end closes every open group and the message.
        for (; top >= 0; top--)
        {
            int f = top * FrameInts;
            int container = frames[f];
            if (compiled.AnyMandatory(container, frames[f + 1] + 1, childCount[container]))
            {
                return false;
            }
        }

        layout = new int[groupBase + (groups * PlacementLayout.GroupInts)];
        scratch.AsSpan(0, layout.Length).CopyTo(layout);
        return true;
    }

    /// <summary>A new scratch array, kept for the thread's next messages only while it is small (below the large object heap).</summary>
    private static int[] Scratch(int length)
    {
        var scratch = new int[Math.Max(length, 1024)];
        if (scratch.Length <= MaxKeptScratch)
        {
            t_scratch = scratch;
        }

        return scratch;
    }

    // 16 k ints (64 KB): a message of ~3 000 segments; a wider one's scratch is garbage when it is done.
    private const int MaxKeptScratch = 16 * 1024;

    /// <summary>
    /// True when <see cref="ElementChecker.Check{TSource}"/> would report nothing for the segment: one forward walk over
    /// its element records (first occurrences only, as the checker reads them), components read as offsets.
    /// </summary>
    private static bool ElementsAccepted(SegmentSpec spec, EdifactSegment segment)
    {
        EdifactMessageData data = segment.Data;
        ref readonly EdifactMessageData.SegmentRecord record = ref data.Segments[segment.Index];
        int[] elements = data.Elements;
        int[] offsets = data.Components;
        char[] text = data.Text;
        // The pooled tables may be longer than their content: the counts, never the arrays' lengths, say where it ends.
        int componentTotal = data.TotalComponents;
        int elementRecords = data.ElementCount;
        int r = record.FirstElement;
        int end = r + record.ElementCount;
        ElementSpec[] definitions = spec.Elements;
        for (int e = 0; e < definitions.Length; e++)
        {
            int position = e + 1;
            while (r < end && elements[r * EdifactMessageData.ElementStride] < position)
            {
                r++;
            }

            ref readonly ElementSpec definition = ref definitions[e];
            int first = 0;
            int components = 0;
            if (r < end && elements[r * EdifactMessageData.ElementStride] == position)
            {
                first = elements[(r * EdifactMessageData.ElementStride) + 2];
                int next = r + 1;
                components = (next < elementRecords ? elements[(next * EdifactMessageData.ElementStride) + 2] : componentTotal) - first;
            }

            // No component with content: absent.
            if (components == 0 || offsets[first + components] == offsets[first])
            {
                if (definition.IsMandatory)
                {
                    return false;
                }

                continue;
            }

            if (definition.ComponentCount == 0)
            {
                if (components > 1 && offsets[first + components] != offsets[first + 1])
                {
                    return false;
                }

                if (!definition.Value.Accepts(text.AsSpan(offsets[first], offsets[first + 1] - offsets[first])))
                {
                    return false;
                }

                continue;
            }

            ValueSpec[] parts = spec.Components;
            for (int c = 0; c < definition.ComponentCount; c++)
            {
                ref readonly ValueSpec part = ref parts[definition.FirstComponent + c];
                int length = c < components ? offsets[first + c + 1] - offsets[first + c] : 0;
                if (length == 0)
                {
                    if (part.IsMandatory)
                    {
                        return false;
                    }
                }
                else if (!part.Accepts(text.AsSpan(offsets[first + c], length)))
                {
                    return false;
                }
            }

            if (components > definition.ComponentCount && offsets[first + components] != offsets[first + definition.ComponentCount])
            {
                return false;
            }
        }

        // Content beyond the definition: the first occurrence of any later stored element, then past the stored ones.
        int previous = definitions.Length;
        for (; r < end; r++)
        {
            int at = r * EdifactMessageData.ElementStride;
            int position = elements[at];
            if (position <= previous)
            {
                continue;
            }

            previous = position;
            int first = elements[at + 2];
            int next = r + 1;
            int last = next < elementRecords ? elements[(next * EdifactMessageData.ElementStride) + 2] : componentTotal;
            if (offsets[last] != offsets[first])
            {
                return false;
            }
        }

        return record.OverflowElement <= definitions.Length;
    }
}

/// <summary>
/// The placements of a message the fast path resolved, as ints: per segment its group occurrence (0: the message
/// level) and its repetition there; after them, per group occurrence (numbered from 1 in the order they open) its
/// container in the <see cref="CompiledStructure"/>, its parent occurrence and its occurrence in that parent.
/// </summary>
internal static class PlacementLayout
{
    internal const int SegmentInts = 2;
    internal const int GroupInts = 3;
}
