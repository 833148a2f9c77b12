namespace PortCustoms.Edifact;

/// <summary>Collects syntax and envelope findings up to the bounds, giving each the severity the mode asks for.</summary>
internal sealed class DiagnosticSink
{
    private readonly FindingCollection _findings;
    private readonly EdifactSeverity _envelopeSeverity;

    public DiagnosticSink(EdifactValidationOptions options)
    {
        _findings = new FindingCollection(options.MaxFindingsPerCode, options.MaxDiagnostics);
        _envelopeSeverity = options.Mode == EdifactValidationMode.Strict ? EdifactSeverity.Error : EdifactSeverity.Warning;
    }

    public FindingCollection Findings => _findings;

    public IReadOnlyList<EdifactDiagnostic> Diagnostics => _findings.Listed;

    public int Count => _findings.Listed.Count;

    /// <summary>A finding whose severity follows the mode: an error when strict, a warning when lenient.</summary>
    public void Report(string code, string message, EdifactPosition position, int? syntaxErrorCode) =>
        _findings.Add(new EdifactDiagnostic(code, _envelopeSeverity, message, position, syntaxErrorCode));

    /// <summary>A finding that is an error in any mode (the tokenizer could not go on, or a limit refused a message).</summary>
    public void ReportError(string code, string message, EdifactPosition position, int? syntaxErrorCode) =>
        _findings.Add(new EdifactDiagnostic(code, EdifactSeverity.Error, message, position, syntaxErrorCode));

    public EdifactDiagnostic[] Slice(int start) => _findings.Slice(start);
}
