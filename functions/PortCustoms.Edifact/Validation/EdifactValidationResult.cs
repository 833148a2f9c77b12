namespace PortCustoms.Edifact;

/// <summary>What validating an EDIFACT file found: counts and every diagnostic, in file order.</summary>
public sealed class EdifactValidationResult
{
    private readonly bool _errorsDropped;

    internal EdifactValidationResult(
        int interchangeCount,
        int groupCount,
        int messageCount,
        IReadOnlyList<EdifactDiagnostic> diagnostics,
        int diagnosticsDropped,
        long bytesRead,
        bool errorsDropped = false,
        IReadOnlyList<FindingCount>? counts = null)
    {
        _errorsDropped = errorsDropped;
        InterchangeCount = interchangeCount;
        GroupCount = groupCount;
        MessageCount = messageCount;
        Diagnostics = diagnostics;
        DiagnosticsDropped = diagnosticsDropped;
        BytesRead = bytesRead;
        Errors = [.. diagnostics.Where(d => d.Severity == EdifactSeverity.Error)];
        Warnings = [.. diagnostics.Where(d => d.Severity == EdifactSeverity.Warning)];
        FindingCounts = counts ?? [.. diagnostics.GroupBy(d => (d.Code, d.Severity)).OrderBy(g => g.Key.Code, StringComparer.Ordinal).ThenByDescending(g => g.Key.Severity).Select(g => new FindingCount(g.Key.Code, g.Key.Severity, g.Count(), g.Count()))];
    }

    /// <summary>True when no finding is an error (warnings allowed), counting those past the limit too.</summary>
    public bool IsValid => Errors.Count == 0 && !_errorsDropped;

    public int InterchangeCount { get; }

    public int GroupCount { get; }

    public int MessageCount { get; }

    public IReadOnlyList<EdifactDiagnostic> Diagnostics { get; }

    public IReadOnlyList<EdifactDiagnostic> Errors { get; }

    public IReadOnlyList<EdifactDiagnostic> Warnings { get; }

    /// <summary>Findings beyond <see cref="EdifactValidationOptions.MaxFindingsPerCode"/> or <see cref="EdifactValidationOptions.MaxDiagnostics"/>, counted but not kept.</summary>
    public int DiagnosticsDropped { get; }

    /// <summary>The exact count per code and severity, listed or not.</summary>
    public IReadOnlyList<FindingCount> FindingCounts { get; }

    public long BytesRead { get; }
}

/// <summary>Builds read-only EDIFACT results for tests of code that consumes them.</summary>
public static class EdifactModelFactory
{
    public static EdifactValidationResult ValidationResult(
        int interchangeCount = 0,
        int groupCount = 0,
        int messageCount = 0,
        IReadOnlyList<EdifactDiagnostic>? diagnostics = null,
        long bytesRead = 0) =>
        new(interchangeCount, groupCount, messageCount, diagnostics ?? [], 0, bytesRead);
}
