namespace PortCustoms.Edifact.Structure;

/// <summary>
/// Walks a segment table as segments arrive and places each one in the group tree.
/// A segment belongs to the innermost open group that can still take it, searching forward from the
/// current entry; only when that group cannot take it is the group closed and the parent searched (which
/// may start the group's next repetition). Groups are entered only through their trigger segment.
/// Nothing is committed (closed groups, skipped mandatory entries) until a place is found, so an
/// unexpected segment leaves the position untouched.
/// </summary>
/// <remarks>
/// Per segment it allocates nothing: a group occurrence's path and occurrence list are built once, when it opens,
/// and shared by every segment placed in it (the path string is cached on the table's <see cref="GroupNode"/>).
/// </remarks>
internal sealed class GroupResolver
{
    private readonly List<Frame> stack = [];
    private readonly List<StructureFinding> findings;

    public GroupResolver(MessageStructure structure, List<StructureFinding> findings)
    {
        this.findings = findings;
        stack.Add(new Frame(structure.Entries, group: null, occurrence: 1, path: string.Empty, occurrences: []));
    }

    /// <summary>Places a segment, reporting what its place implies (skipped mandatory entries, closed groups, repeats).</summary>
    public PlacementRecord Place(in SegmentAt segment)
    {
        if (!TryFind(segment.Tag, out int depth, out int index, out bool overRepeated))
        {
            Report(StructureFindingCodes.UnexpectedSegment, segment.PositionInMessage, segment, stack[^1].Path, SyntaxErrorCode.NotSupportedInThisPosition);
            return new PlacementRecord(stack[^1].Path, [], 0);
        }

        while (stack.Count - 1 > depth)
        {
            Close(stack[^1], segment.PositionInMessage, segment);
        }

        Frame frame = stack[^1];
        StructureNode node = frame.Children[index];
        if (index == frame.Index)
        {
            frame.Count++;
        }
        else
        {
            ReportMissing(frame, frame.Index + 1, index, segment.PositionInMessage, segment);
            frame.Index = index;
            frame.Count = 1;
        }

        if (node is GroupNode group)
        {
            string path = group.PathUnder(frame.Path);
            if (overRepeated)
            {
                Report(StructureFindingCodes.TooManyRepeats, segment.PositionInMessage, segment, path, SyntaxErrorCode.TooManySegmentGroupRepetitions);
            }

            frame = new Frame(group.Children, group, frame.Count, path, [.. frame.Occurrences, frame.Count]) { Index = 0, Count = 1 };
            stack.Add(frame);
        }
        else if (overRepeated)
        {
            Report(StructureFindingCodes.TooManyRepeats, segment.PositionInMessage, segment, frame.Path, SyntaxErrorCode.TooManySegmentRepetitions);
        }

        return new PlacementRecord(frame.Path, frame.Occurrences, frame.Count);
    }

    /// <summary>Closes every open group and the message itself at the end of input.</summary>
    /// <param name="positionAfterLast">One past the last segment's position in the message.</param>
    /// <param name="last">The last segment (its tag unused), or default when the message is empty.</param>
    public void Finish(int positionAfterLast, in SegmentAt last)
    {
        while (stack.Count > 0)
        {
            Close(stack[^1], positionAfterLast, last);
        }
    }

    private bool TryFind(string tag, out int depth, out int index, out bool overRepeated)
    {
        int fallbackDepth = -1;
        int fallbackIndex = -1;
        for (depth = stack.Count - 1; depth >= 0; depth--)
        {
            Frame frame = stack[depth];
            for (index = Math.Max(frame.Index, 0); index < frame.Children.Count; index++)
            {
                StructureNode node = frame.Children[index];
                if (!string.Equals(node.Trigger, tag, StringComparison.Ordinal))
                {
                    continue;
                }

                bool isRepeat = index == frame.Index;

                // A group's own trigger never repeats inside the group: the same tag starts the group's next occurrence.
                bool isOwnTrigger = isRepeat && index == 0 && frame.Group is not null;
                if (isRepeat && frame.Count >= node.MaxRepeats)
                {
                    // Full here; keep looking for a later or outer place, and fall back to an over-repeat.
                    if (!isOwnTrigger && fallbackDepth < 0)
                    {
                        fallbackDepth = depth;
                        fallbackIndex = index;
                    }

                    continue;
                }

                overRepeated = false;
                return true;
            }
        }

        depth = fallbackDepth;
        index = fallbackIndex;
        overRepeated = fallbackDepth >= 0;
        return overRepeated;
    }

    private void Close(Frame frame, int position, in SegmentAt at)
    {
        ReportMissing(frame, frame.Index + 1, frame.Children.Count, position, at);
        stack.RemoveAt(stack.Count - 1);
    }

    private void ReportMissing(Frame frame, int from, int to, int position, in SegmentAt at)
    {
        for (int i = Math.Max(from, 0); i < to; i++)
        {
            StructureNode node = frame.Children[i];
            if (!node.IsMandatory)
            {
                continue;
            }

            string path = node is GroupNode group ? group.PathUnder(frame.Path) : frame.Path;
            findings.Add(new StructureFinding(
                StructureFindingCodes.MissingSegment,
                StructureSeverity.Error,
                position,
                node.TriggerTag,
                Element: 0,
                Component: 0,
                SyntaxErrorCode.Missing,
                path,
                at.Line,
                at.PositionInInterchange));
        }
    }

    private void Report(string code, int position, in SegmentAt segment, string path, SyntaxErrorCode syntaxError) =>
        findings.Add(new StructureFinding(
            code,
            StructureSeverity.Error,
            position,
            segment.Tag,
            Element: 0,
            Component: 0,
            syntaxError,
            path,
            segment.Line,
            segment.PositionInInterchange));

    /// <summary>One open occurrence of a group (or of the message, at the bottom of the stack).</summary>
    private sealed class Frame(IReadOnlyList<StructureNode> children, GroupNode? group, int occurrence, string path, int[] occurrences)
    {
        public IReadOnlyList<StructureNode> Children { get; } = children;

        public GroupNode? Group { get; } = group;

        public int Occurrence { get; } = occurrence;

        public string Path { get; } = path;

        /// <summary>The occurrence of each enclosing group, outermost first, this one last (empty at message level).</summary>
        public int[] Occurrences { get; } = occurrences;

        /// <summary>The entry last matched, -1 before the first.</summary>
        public int Index { get; set; } = -1;

        /// <summary>How many times the entry at <see cref="Index"/> has occurred in this occurrence of the group.</summary>
        public int Count { get; set; }
    }
}

/// <summary>What the resolver needs of a segment: its tag and where it is.</summary>
/// <param name="Tag">The tag (empty for a segment without one).</param>
/// <param name="PositionInMessage">1-based, UNH = 1.</param>
/// <param name="Line">Source line, 0 when unknown.</param>
/// <param name="PositionInInterchange">0 when unknown.</param>
internal readonly record struct SegmentAt(string Tag, int PositionInMessage, int Line, int PositionInInterchange);
