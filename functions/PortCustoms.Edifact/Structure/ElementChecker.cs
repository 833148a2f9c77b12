namespace PortCustoms.Edifact.Structure;

/// <summary>Checks a segment's data elements against its directory definition: presence, count, type and length.</summary>
/// <remarks>Reads lengths and characters as spans from the source: nothing is allocated unless there is a finding.</remarks>
internal static class ElementChecker
{
    public static void Check<TSource>(SegmentDefinition definition, in TSource source, int segment, string groupPath, List<StructureFinding> findings)
        where TSource : struct, IStructureSource
    {
        ElementDefinition[] definitions = definition.ElementArray;
        int elementCount = source.ElementCount(segment);
        for (int e = 0; e < definitions.Length; e++)
        {
            ElementDefinition element = definitions[e];
            int handle = e < elementCount ? source.Element(segment, e) : -1;
            int components = source.ComponentCount(segment, handle);
            if (FirstWithContent(source, segment, handle, components, 0) < 0)
            {
                if (element.IsMandatory)
                {
                    Add(source, segment, groupPath, findings, StructureFindingCodes.MissingElement, SyntaxErrorCode.Missing, e + 1, 0);
                }

                continue;
            }

            if (element.ComponentArray.Length > 0)
            {
                CheckComposite(element, source, segment, e, handle, components, groupPath, findings);
                continue;
            }

            int extra = FirstWithContent(source, segment, handle, components, 1);
            if (extra >= 0)
            {
                Add(source, segment, groupPath, findings, StructureFindingCodes.TooManyComponents, SyntaxErrorCode.TooManyConstituents, e + 1, extra + 1);
            }
            else
            {
                CheckValue(source.Component(segment, handle, 0), element.Format, source, segment, groupPath, findings, e + 1, 0);
            }
        }

        // Trailing empty elements are tolerated; content beyond the definition is not. Past the stored elements (no
        // directory defines them, see EdifactMessageData.MaxStoredElement) the source knows the first with content.
        int stored = Math.Min(elementCount, source.StoredElementCount(segment));
        for (int e = definitions.Length; e < stored; e++)
        {
            int handle = source.Element(segment, e);
            if (FirstWithContent(source, segment, handle, source.ComponentCount(segment, handle), 0) >= 0)
            {
                Add(source, segment, groupPath, findings, StructureFindingCodes.TooManyElements, SyntaxErrorCode.TooManyConstituents, e + 1, 0);
                return;
            }
        }

        int beyond = source.FirstContentBeyondStored(segment);
        if (beyond > definitions.Length)
        {
            Add(source, segment, groupPath, findings, StructureFindingCodes.TooManyElements, SyntaxErrorCode.TooManyConstituents, beyond, 0);
        }
    }

    private static void CheckComposite<TSource>(ElementDefinition element, in TSource source, int segment, int e, int handle, int components, string groupPath, List<StructureFinding> findings)
        where TSource : struct, IStructureSource
    {
        ComponentDefinition[] definitions = element.ComponentArray;
        for (int c = 0; c < definitions.Length; c++)
        {
            ComponentDefinition component = definitions[c];
            ReadOnlySpan<char> value = c < components ? source.Component(segment, handle, c) : default;
            if (value.IsEmpty)
            {
                if (component.IsMandatory)
                {
                    Add(source, segment, groupPath, findings, StructureFindingCodes.MissingElement, SyntaxErrorCode.Missing, e + 1, c + 1);
                }
            }
            else
            {
                CheckValue(value, component.Format, source, segment, groupPath, findings, e + 1, c + 1);
            }
        }

        int extra = FirstWithContent(source, segment, handle, components, definitions.Length);
        if (extra >= 0)
        {
            Add(source, segment, groupPath, findings, StructureFindingCodes.TooManyComponents, SyntaxErrorCode.TooManyConstituents, e + 1, extra + 1);
        }
    }

    private static void CheckValue<TSource>(ReadOnlySpan<char> value, DataElementFormat format, in TSource source, int segment, string groupPath, List<StructureFinding> findings, int position, int component)
        where TSource : struct, IStructureSource
    {
        (SyntaxErrorCode typeError, int length) = Measure(value, format.Type);
        if (typeError != SyntaxErrorCode.None)
        {
            Add(source, segment, groupPath, findings, StructureFindingCodes.ElementType, typeError, position, component);
        }
        else if (length > format.MaxLength)
        {
            Add(source, segment, groupPath, findings, StructureFindingCodes.ElementTooLong, SyntaxErrorCode.DataElementTooLong, position, component);
        }
        else if (length < format.MinLength)
        {
            Add(source, segment, groupPath, findings, StructureFindingCodes.ElementTooShort, SyntaxErrorCode.DataElementTooShort, position, component);
        }
    }

    private static void Add<TSource>(in TSource source, int segment, string groupPath, List<StructureFinding> findings, string code, SyntaxErrorCode syntaxError, int position, int component)
        where TSource : struct, IStructureSource =>
        findings.Add(new StructureFinding(
            code,
            StructureSeverity.Error,
            source.PositionInMessage(segment),
            source.Tag(segment),
            position,
            component,
            syntaxError,
            groupPath,
            source.Line(segment),
            source.PositionInInterchange(segment)));

    /// <summary>
    /// The significant length of a value and any character-class error. For numeric values ISO 9735 counts
    /// neither the minus sign nor the decimal mark, and either '.' or ',' may be the mark.
    /// </summary>
    internal static (SyntaxErrorCode Error, int Length) Measure(string value, DataElementType type) => Measure(value.AsSpan(), type);

    /// <inheritdoc cref="Measure(string, DataElementType)"/>
    internal static (SyntaxErrorCode Error, int Length) Measure(ReadOnlySpan<char> value, DataElementType type)
    {
        switch (type)
        {
            case DataElementType.Numeric:
                int start = value.StartsWith('-') ? 1 : 0;
                int digits = 0;
                int mark = -1;
                for (int i = start; i < value.Length; i++)
                {
                    char c = value[i];
                    if (char.IsAsciiDigit(c))
                    {
                        digits++;
                    }
                    else if (c is '.' or ',' && mark < 0)
                    {
                        mark = i;
                    }
                    else
                    {
                        return (c is '.' or ',' ? SyntaxErrorCode.InvalidDecimalNotation : SyntaxErrorCode.InvalidTypeOfCharacters, 0);
                    }
                }

                if (digits == 0)
                {
                    return (SyntaxErrorCode.InvalidTypeOfCharacters, 0);
                }

                if (mark == start)
                {
                    return (SyntaxErrorCode.MissingDigitInFrontOfDecimalSign, 0);
                }

                return mark == value.Length - 1 ? (SyntaxErrorCode.InvalidDecimalNotation, 0) : (SyntaxErrorCode.None, digits);

            case DataElementType.Alphabetic:
                return value.IndexOfAnyInRange('0', '9') >= 0
                    ? (SyntaxErrorCode.InvalidTypeOfCharacters, 0)
                    : (SyntaxErrorCode.None, value.Length);

            default:
                return (SyntaxErrorCode.None, value.Length);
        }
    }

    /// <summary>The first component from <paramref name="from"/> on with content, or -1.</summary>
    private static int FirstWithContent<TSource>(in TSource source, int segment, int handle, int components, int from)
        where TSource : struct, IStructureSource
    {
        for (int c = from; c < components; c++)
        {
            if (!source.Component(segment, handle, c).IsEmpty)
            {
                return c;
            }
        }

        return -1;
    }
}
