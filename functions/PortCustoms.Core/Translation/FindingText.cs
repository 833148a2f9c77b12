using System.Runtime.CompilerServices;

namespace PortCustoms.Core.Translation;

/// <summary>
/// A finding's text, formatted only when the report will keep the finding: reports keep the first N of each code and
/// count the rest, and a file with a million repeats of one warning should not format a million sentences to drop
/// them. The mapping's <c>Error($"...")</c> and <c>Warning($"...")</c> calls bind to this; a finding whose code is
/// past its bound gets an empty text (its code, severity and position are kept, for the counts and the CONTRL).
/// </summary>
[InterpolatedStringHandler]
public ref struct FindingText
{
    private DefaultInterpolatedStringHandler _text;
    private readonly bool _wanted;

    internal FindingText(int literalLength, int formattedCount, MappingContext context, string code, out bool shouldAppend)
    {
        _wanted = shouldAppend = context.Wants(code);
        _text = _wanted ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    internal FindingText(int literalLength, int formattedCount, Batch.BatchFindings findings, string code, out bool shouldAppend)
    {
        _wanted = shouldAppend = findings.WouldKeep(code);
        _text = _wanted ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _text.AppendFormatted(value, format);

    public void AppendFormatted<T>(T value, int alignment) => _text.AppendFormatted(value, alignment);

    public void AppendFormatted(ReadOnlySpan<char> value) => _text.AppendFormatted(value);

    public void AppendFormatted(string? value) => _text.AppendFormatted(value);

    /// <summary>The text; empty when the finding will not be kept.</summary>
    public string ToStringAndClear() => _wanted ? _text.ToStringAndClear() : string.Empty;
}
