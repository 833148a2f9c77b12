namespace PortCustoms.Edifact;

/// <summary>How serious a finding is.</summary>
public enum EdifactSeverity : byte
{
    Warning = 0,
    Error = 1,
}

/// <summary>One validation finding. Collected, never thrown, so one pass gives the whole report (and the CONTRL).</summary>
/// <param name="Code">A stable code from <see cref="EdifactErrorCodes"/>, e.g. <c>EDI-ENV-UNT-COUNT</c>.</param>
/// <param name="Severity">Error or warning; envelope findings depend on the validation mode.</param>
/// <param name="Message">Text for people; tests and tools use <paramref name="Code"/>.</param>
/// <param name="Position">Line, byte offset, segment, element and component.</param>
/// <param name="SyntaxErrorCode">The ISO 9735 data element 0085 code where one exists.</param>
public sealed record EdifactDiagnostic(
    string Code,
    EdifactSeverity Severity,
    string Message,
    EdifactPosition Position,
    int? SyntaxErrorCode = null)
{
    public long Line => Position.Line;

    public int Segment => Position.Segment;

    /// <summary>1-based element position, or null when the finding is about the whole segment.</summary>
    public int? Element => Position.Element == 0 ? null : Position.Element;

    /// <summary>1-based component position, or null when the finding is about a whole element or segment.</summary>
    public int? Component => Position.Component == 0 ? null : Position.Component;
}
