namespace PortCustoms.Edifact;

/// <summary>Syntax the tokenizer cannot continue past: the data ends inside a segment, a segment is too long, a UNA is unusable.</summary>
/// <remarks>Validation findings are not thrown; they are collected as <see cref="EdifactDiagnostic"/>s.</remarks>
public sealed class EdifactException : Exception
{
    public EdifactException()
        : this("EDIFACT syntax error.")
    {
    }

    public EdifactException(string message)
        : this(message, innerException: null)
    {
    }

    public EdifactException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = EdifactErrorCodes.SyntaxError;
    }

    public EdifactException(string code, string message, EdifactPosition position, int? syntaxErrorCode = null)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(code);
        Code = code;
        Position = position;
        SyntaxErrorCode = syntaxErrorCode;
    }

    /// <summary>A stable code such as <c>EDI-SYN-SEGMENT-TOO-LONG</c> (see <see cref="EdifactErrorCodes"/>).</summary>
    public string Code { get; }

    /// <summary>Where the tokenizer stopped.</summary>
    public EdifactPosition Position { get; }

    /// <summary>The ISO 9735 syntax error code (data element 0085), where one applies.</summary>
    public int? SyntaxErrorCode { get; }

    public long Line => Position.Line;

    public long ByteOffset => Position.ByteOffset;

    public int Segment => Position.Segment;

    public int Element => Position.Element;

    public int Component => Position.Component;
}
