namespace PortCustoms.Edifact.Structure;

/// <summary>Checks a segment's data elements against its directory definition: presence, count, type and length.</summary>
internal static class ElementChecker
{
    public static void Check(SegmentDefinition definition, StructureSegment segment, string groupPath, List<StructureFinding> findings)
    {
        IReadOnlyList<IReadOnlyList<string>> elements = segment.Elements;
        for (int e = 0; e < definition.Elements.Count; e++)
        {
            ElementDefinition element = definition.Elements[e];
            IReadOnlyList<string> components = e < elements.Count ? elements[e] : [];
            if (!HasContent(components, 0))
            {
                if (element.IsMandatory)
                {
                    Add(StructureFindingCodes.MissingElement, SyntaxErrorCode.Missing, e + 1, 0);
                }

                continue;
            }

            if (element.IsComposite)
            {
                CheckComposite(element, components, e + 1);
            }
            else if (HasContent(components, 1))
            {
                Add(StructureFindingCodes.TooManyComponents, SyntaxErrorCode.TooManyConstituents, e + 1, FirstWithContent(components, 1) + 1);
            }
            else
            {
                CheckValue(components[0], element.Format, e + 1, 0);
            }
        }

        // Trailing empty elements are tolerated; content beyond the definition is not.
        if (HasContentBeyond(elements, definition.Elements.Count, out int extra))
        {
            Add(StructureFindingCodes.TooManyElements, SyntaxErrorCode.TooManyConstituents, extra + 1, 0);
        }

        void CheckComposite(ElementDefinition element, IReadOnlyList<string> components, int position)
        {
            for (int c = 0; c < element.Components.Count; c++)
            {
                ComponentDefinition component = element.Components[c];
                string value = c < components.Count ? components[c] : string.Empty;
                if (value.Length == 0)
                {
                    if (component.IsMandatory)
                    {
                        Add(StructureFindingCodes.MissingElement, SyntaxErrorCode.Missing, position, c + 1);
                    }
                }
                else
                {
                    CheckValue(value, component.Format, position, c + 1);
                }
            }

            if (HasContent(components, element.Components.Count))
            {
                Add(StructureFindingCodes.TooManyComponents, SyntaxErrorCode.TooManyConstituents, position, FirstWithContent(components, element.Components.Count) + 1);
            }
        }

        void CheckValue(string value, DataElementFormat format, int position, int component)
        {
            (SyntaxErrorCode typeError, int length) = Measure(value, format.Type);
            if (typeError != SyntaxErrorCode.None)
            {
                Add(StructureFindingCodes.ElementType, typeError, position, component);
            }
            else if (length > format.MaxLength)
            {
                Add(StructureFindingCodes.ElementTooLong, SyntaxErrorCode.DataElementTooLong, position, component);
            }
            else if (length < format.MinLength)
            {
                Add(StructureFindingCodes.ElementTooShort, SyntaxErrorCode.DataElementTooShort, position, component);
            }
        }

        void Add(string code, SyntaxErrorCode syntaxError, int position, int component) =>
            findings.Add(new StructureFinding(
                code,
                StructureSeverity.Error,
                segment.PositionInMessage,
                segment.Tag,
                position,
                component,
                syntaxError,
                groupPath,
                segment.Line,
                segment.PositionInInterchange));
    }

    /// <summary>
    /// The significant length of a value and any character-class error. For numeric values ISO 9735 counts
    /// neither the minus sign nor the decimal mark, and either '.' or ',' may be the mark.
    /// </summary>
    internal static (SyntaxErrorCode Error, int Length) Measure(string value, DataElementType type)
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
                return value.AsSpan().IndexOfAnyInRange('0', '9') >= 0
                    ? (SyntaxErrorCode.InvalidTypeOfCharacters, 0)
                    : (SyntaxErrorCode.None, value.Length);

            default:
                return (SyntaxErrorCode.None, value.Length);
        }
    }

    private static bool HasContent(IReadOnlyList<string> components, int from) => FirstWithContent(components, from) >= 0;

    private static int FirstWithContent(IReadOnlyList<string> components, int from)
    {
        for (int i = from; i < components.Count; i++)
        {
            if (components[i].Length > 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool HasContentBeyond(IReadOnlyList<IReadOnlyList<string>> elements, int from, out int index)
    {
        for (index = from; index < elements.Count; index++)
        {
            if (HasContent(elements[index], 0))
            {
                return true;
            }
        }

        return false;
    }
}
