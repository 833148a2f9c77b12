namespace PortCustoms.Edifact;

/// <summary>Collects findings up to a bound, giving each the severity the mode asks for.</summary>
internal sealed class DiagnosticSink
{
    private readonly List<EdifactDiagnostic> _diagnostics = [];
    private readonly int _max;
    private readonly EdifactSeverity _envelopeSeverity;

    public DiagnosticSink(EdifactValidationOptions options)
    {
        _max = options.MaxDiagnostics;
        _envelopeSeverity = options.Mode == EdifactValidationMode.Strict ? EdifactSeverity.Error : EdifactSeverity.Warning;
    }

    public IReadOnlyList<EdifactDiagnostic> Diagnostics => _diagnostics;

    public int Count => _diagnostics.Count;

    public int Dropped { get; private set; }

    public int DroppedErrors { get; private set; }

    /// <summary>A finding whose severity follows the mode: an error when strict, a warning when lenient.</summary>
    public void Report(string code, string message, EdifactPosition position, int? syntaxErrorCode) =>
        Add(new EdifactDiagnostic(code, _envelopeSeverity, message, position, syntaxErrorCode));

    /// <summary>A finding that is an error in any mode (the tokenizer could not go on).</summary>
    public void ReportError(string code, string message, EdifactPosition position, int? syntaxErrorCode) =>
        Add(new EdifactDiagnostic(code, EdifactSeverity.Error, message, position, syntaxErrorCode));

    public EdifactDiagnostic[] Slice(int start) => start >= _diagnostics.Count ? [] : [.. _diagnostics.Skip(start)];

    private void Add(EdifactDiagnostic diagnostic)
    {
        if (_diagnostics.Count >= _max)
        {
            Dropped++;
            if (diagnostic.Severity == EdifactSeverity.Error)
            {
                DroppedErrors++;
            }

            return;
        }

        _diagnostics.Add(diagnostic);
    }
}
