namespace PortCustoms.Edifact.Structure;

/// <summary>
/// ISO 9735 data element 0085 "Syntax error, coded": the values the structure layer reports.
/// The numeric value is the code that goes into CONTRL UCM/UCS/UCD.
/// </summary>
public enum SyntaxErrorCode
{
    /// <summary>No ISO 9735 code applies.</summary>
    None = 0,

    /// <summary>12: invalid value.</summary>
    InvalidValue = 12,

    /// <summary>13: missing (mandatory segment, group or data element).</summary>
    Missing = 13,

    /// <summary>14: value not supported in this position (e.g. an unsupported message type or release in UNH).</summary>
    ValueNotSupportedInThisPosition = 14,

    /// <summary>15: not supported in this position (unexpected segment).</summary>
    NotSupportedInThisPosition = 15,

    /// <summary>16: too many constituents (data elements in a segment, components in an element).</summary>
    TooManyConstituents = 16,

    /// <summary>19: invalid decimal notation.</summary>
    InvalidDecimalNotation = 19,

    /// <summary>35: too many segment repetitions.</summary>
    TooManySegmentRepetitions = 35,

    /// <summary>36: too many segment group repetitions.</summary>
    TooManySegmentGroupRepetitions = 36,

    /// <summary>37: invalid type of characters (e.g. a letter in a numeric element).</summary>
    InvalidTypeOfCharacters = 37,

    /// <summary>38: missing digit in front of decimal sign.</summary>
    MissingDigitInFrontOfDecimalSign = 38,

    /// <summary>39: data element too long.</summary>
    DataElementTooLong = 39,

    /// <summary>40: data element too short.</summary>
    DataElementTooShort = 40,
}
