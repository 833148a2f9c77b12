using PortCustoms.Edifact.Structure;

namespace PortCustoms.Edifact.Contrl;

/// <summary>Turns a structure validation result into the neutral report CONTRL is built from.</summary>
public static class StructureContrlExtensions
{
    /// <summary>The message's identification (from its UNH) and its error findings as CONTRL errors.</summary>
    public static ContrlMessageReport ToContrlReport(this StructureValidationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        StructureSegment? header = result.Placements.Count > 0 && result.Placements[0].Segment.Tag == "UNH"
            ? result.Placements[0].Segment
            : null;
        ContrlError[] errors =
        [
            .. result.Findings
                .Where(f => f.Severity == StructureSeverity.Error)
                .Select(f => new ContrlError(f.SegmentPosition, f.SegmentTag, f.Element, f.Component, (int)f.SyntaxError)),
        ];
        return new ContrlMessageReport(
            result.MessageReference,
            header?.GetValue(2, 1) ?? string.Empty,
            header?.GetValue(2, 2) ?? string.Empty,
            header?.GetValue(2, 3) ?? string.Empty,
            errors)
        {
            ControllingAgency = header?.GetValue(2, 4) is { Length: > 0 } agency ? agency : "UN",
        };
    }
}
