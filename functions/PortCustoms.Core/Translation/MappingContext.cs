using System.Globalization;
using PortCustoms.Core.CodeLists;
using PortCustoms.Core.Model;
using PortCustoms.Core.Time;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Translation;

/// <summary>
/// Reading one structured message into the canonical model: segment look-ups by group and the checked conversions
/// (container, IMO, size-type, date, mass) that report a positioned diagnostic instead of throwing.
/// </summary>
internal sealed class MappingContext
{
    private readonly List<EdifactDiagnostic> _diagnostics;

    public MappingContext(StructuredMessage message, List<EdifactDiagnostic> diagnostics, SenderClock? clock = null, CodeListService? codeLists = null, Func<string, bool>? keeps = null)
    {
        Message = message;
        _diagnostics = diagnostics;
        Clock = clock ?? SenderClock.Unconfigured();
        CodeLists = codeLists ?? CodeListService.Shipped;
        _keeps = keeps;
    }

    private readonly Func<string, bool>? _keeps;

    /// <summary>
    /// Only the findings are wanted (<c>validate</c>): every check runs in the same order, but the values nothing will
    /// read (status events, their identifiers and seals) are not built.
    /// </summary>
    public bool FindingsOnly { get; init; }

    /// <summary>
    /// Whether the report will keep a finding with <paramref name="code"/> (its text is formatted only then); always
    /// true without a report's check. A false answer must stay false for the rest of the file (counts only grow).
    /// </summary>
    public bool Wants(string code) => _keeps is null || _keeps(code);

    /// <inheritdoc cref="Unmapped(string, string, string, string, EdifactSegment, int, int)"/>
    public void Unmapped(string list, string code, string errorCode, [System.Runtime.CompilerServices.InterpolatedStringHandlerArgument("", "errorCode")] ref FindingText message, EdifactSegment segment, int element, int component) =>
        Unmapped(list, code, errorCode, message.ToStringAndClear(), segment, element, component);

    /// <summary>The deployment's code lists and what an unmapped code does.</summary>
    public CodeListService CodeLists { get; }

    /// <summary>
    /// A code its list does not map: counted (list and code), reported at its position, never dropped or defaulted:
    /// a warning with the code kept as sent (<c>CodeLists:Unmapped = Hold</c>) or an error that rejects the message (Reject).
    /// </summary>
    public void Unmapped(string list, string code, string errorCode, string message, EdifactSegment segment, int element, int component)
    {
        CodeLists.CountUnmapped(list, code);
        if (CodeLists.Unmapped == UnmappedCodeAction.Reject)
        {
            Error(errorCode, $"{message} (code list {list}; CodeLists:Unmapped = Reject).", segment, element, component);
        }
        else
        {
            Warning(errorCode, $"{message} (code list {list}); kept as sent.", segment, element, component);
        }
    }

    /// <summary>A UN/LOCODE (C517 3225 when 1131 is 139): its form checked and looked up; unmapped reported.</summary>
    public void CheckLocode(EdifactSegment loc)
    {
        if (loc.GetSpan(2, 2) is not EdifactCodes.UnLocodeList)
        {
            return; // A terminal's own location code (e.g. a stack position), not a UN/LOCODE.
        }
        var list = CodeLists.Lists.UnLocodes;
        var span = loc.GetSpan(2, 1);
        if (span.IsEmpty || list.Contains(span))
        {
            return;
        }
        var code = span.ToString();
        if (list.HasValidForm(code))
        {
            Unmapped(CodeListNames.UnLocodes, code, MappingErrorCodes.LocodeUnknown, $"UN/LOCODE '{code}' is not in the list ({list.Version})", loc, 2, 1);
        }
        else
        {
            Unmapped(CodeListNames.UnLocodes, code, MappingErrorCodes.LocodeUnknown, $"'{code}' is not a UN/LOCODE (two letters, three letters or digits 2-9)", loc, 2, 1);
        }
    }

    /// <summary>The sender's zone for times without one; counts what it assumed (reported once, not per DTM).</summary>
    public SenderClock Clock { get; }

    /// <summary>The first DTM read without a zone configured for the sender, and the first in a daylight-saving gap or overlap.</summary>
    public EdifactSegment? FirstAssumed { get; private set; }

    public EdifactSegment? FirstDaylightSaving { get; private set; }

    public StructuredMessage Message { get; }

    /// <summary>The list findings are added to (structure findings first).</summary>
    public List<EdifactDiagnostic> Diagnostics => _diagnostics;

    public GroupInstance Root => Message.Root;

    public int ErrorCount { get; private set; }

    public EdifactSegment Segment(int positionInMessage) => Message.Message.Segments[positionInMessage - 1];

    /// <summary>Segments with <paramref name="tag"/> directly in <paramref name="group"/>.</summary>
    public IEnumerable<EdifactSegment> Segments(GroupInstance group, string tag)
    {
        foreach (var position in group.SegmentPositions)
        {
            var segment = Segment(position);
            if (segment.Tag == tag)
            {
                yield return segment;
            }
        }
    }

    /// <summary>
    /// Segments with <paramref name="tag"/> in <paramref name="group"/> and its nested groups, except inside groups
    /// triggered by one of <paramref name="excludedTriggers"/> (e.g. the onward-carriage TDT group under EQD).
    /// </summary>
    public IEnumerable<EdifactSegment> SegmentsDeep(GroupInstance group, string tag, params string[] excludedTriggers)
    {
        foreach (var segment in Segments(group, tag))
        {
            yield return segment;
        }
        foreach (var nested in group.Groups)
        {
            if (Array.IndexOf(excludedTriggers, nested.Trigger) >= 0)
            {
                continue;
            }
            foreach (var segment in SegmentsDeep(nested, tag, excludedTriggers))
            {
                yield return segment;
            }
        }
    }

    public EdifactSegment? First(GroupInstance group, string tag)
    {
        // A plain loop: this runs several times per message, and an iterator would be an allocation each time.
        var segments = Message.Message.Segments;
        foreach (var position in group.SegmentsList)
        {
            var segment = segments[position - 1];
            if (segment.Tag == tag)
            {
                return segment;
            }
        }
        return null;
    }

    /// <summary>One step of <see cref="FindDeep"/>: true stops the walk at this segment.</summary>
    public delegate bool DeepStep<TState>(EdifactSegment segment, ref TState state);

    /// <summary>
    /// Walks the segments <see cref="SegmentsDeep"/> would give (the same order), without an iterator or an array per
    /// call: <paramref name="step"/> sees each one with <paramref name="state"/>; returns the segment it stopped at.
    /// </summary>
    public EdifactSegment? FindDeep<TState>(GroupInstance group, string tag, string? excludedTrigger, ref TState state, DeepStep<TState> step)
    {
        var segments = Message.Message.Segments;
        foreach (var position in group.SegmentsList)
        {
            var segment = segments[position - 1];
            if (segment.Tag == tag && step(segment, ref state))
            {
                return segment;
            }
        }
        if (group.GroupsList is not { Count: > 0 } nested)
        {
            return null;
        }
        foreach (var inner in nested)
        {
            if (excludedTrigger is not null && inner.Trigger == excludedTrigger)
            {
                continue;
            }
            if (FindDeep(inner, tag, excludedTrigger, ref state, step) is { } found)
            {
                return found;
            }
        }
        return null;
    }

    /// <summary>The trigger segment of a group occurrence.</summary>
    public EdifactSegment TriggerOf(GroupInstance group) => Segment(group.SegmentPositions[0]);

    public void Error(string code, string message, EdifactSegment segment, int element = 0, int component = 0)
    {
        ErrorCount++;
        _diagnostics.Add(new EdifactDiagnostic(code, EdifactSeverity.Error, message, PositionOf(segment, element, component)));
    }

    public void Warning(string code, string message, EdifactSegment segment, int element = 0, int component = 0) =>
        _diagnostics.Add(new EdifactDiagnostic(code, EdifactSeverity.Warning, message, PositionOf(segment, element, component)));

    /// <summary>An error whose text is formatted only when the report keeps it (<see cref="FindingText"/>).</summary>
    public void Error(string code, [System.Runtime.CompilerServices.InterpolatedStringHandlerArgument("", "code")] ref FindingText message, EdifactSegment segment, int element = 0, int component = 0) =>
        Error(code, message.ToStringAndClear(), segment, element, component);

    /// <summary>A warning whose text is formatted only when the report keeps it (<see cref="FindingText"/>).</summary>
    public void Warning(string code, [System.Runtime.CompilerServices.InterpolatedStringHandlerArgument("", "code")] ref FindingText message, EdifactSegment segment, int element = 0, int component = 0) =>
        Warning(code, message.ToStringAndClear(), segment, element, component);

    /// <summary>The position of an element and component of a segment (where the element starts, else the segment).</summary>
    /// <remarks>Read from the message's tables: no element object is built for a finding.</remarks>
    public static EdifactPosition PositionOf(EdifactSegment segment, int element, int component) =>
        segment.GetPosition(element, element > 0 ? component : 0);

    /// <summary>An ISO 6346 container number from <paramref name="segment"/> element/component, or default with the finding reported.</summary>
    public ContainerNumber Container(EdifactSegment segment, int element, int component)
    {
        // The text is a string only in a finding: the number itself is parsed from the message's table.
        var text = segment.GetSpan(element, component);
        var error = ContainerNumber.TryParse(text, out var container);
        switch (error)
        {
            case ContainerNumberError.None:
                return container;
            case ContainerNumberError.Empty:
                Error(MappingErrorCodes.ContainerMissing, $"{segment.Tag} names no container number.", segment, element, component);
                break;
            case ContainerNumberError.CheckDigit:
                Error(MappingErrorCodes.ContainerCheckDigit, $"Container number '{text}': {ContainerNumber.Describe(error)}.", segment, element, component);
                break;
            default:
                Error(MappingErrorCodes.ContainerNumberInvalid, $"Container number '{text}': {ContainerNumber.Describe(error)}.", segment, element, component);
                break;
        }
        return default;
    }

    /// <summary>
    /// The vessel of a TDT: C222 8213 is an IMO number (checked) unless 1131 says call sign (103); 8212 the name.
    /// </summary>
    public (ImoNumber Imo, string? CallSign, string? Name) Vessel(EdifactSegment tdt)
    {
        var id = tdt.GetSpan(8, 1);
        var name = NullIfEmpty(tdt.GetValue(8, 4));
        if (!id.IsEmpty && tdt.GetSpan(8, 2) is EdifactCodes.CallSignDirectory)
        {
            return (default, id.ToString(), name);
        }
        return (VesselImo(tdt), null, name);
    }

    /// <summary>The IMO number of <see cref="Vessel"/> alone (checked, the same finding), without its name or call sign as strings.</summary>
    public ImoNumber VesselImo(EdifactSegment tdt)
    {
        var id = tdt.GetSpan(8, 1);
        if (id.IsEmpty || tdt.GetSpan(8, 2) is EdifactCodes.CallSignDirectory)
        {
            return default;
        }
        var digits = id.StartsWith("IMO", StringComparison.Ordinal) ? id[3..].Trim() : id;
        var error = ImoNumber.TryParse(digits, out var imo);
        if (error != ImoNumberError.None)
        {
            Error(MappingErrorCodes.ImoInvalid, $"Vessel IMO number '{id}': {ImoNumber.Describe(error)}.", tdt, 8, 1);
            return default;
        }
        return imo;
    }

    /// <summary>EQD C224: the size-type normalised to its ISO 6346 (1995) code; unknown codes kept and reported.</summary>
    public SizeTypeCode SizeType(EdifactSegment eqd)
    {
        var text = eqd.GetSpan(3, 1);
        if (text.IsEmpty)
        {
            return default;
        }
        var error = SizeTypeCode.TryParse(text, out var code);
        if (error != SizeTypeCodeError.None)
        {
            Error(MappingErrorCodes.SizeTypeInvalid, $"Size-type '{text}': {SizeTypeCode.Describe(error)}.", eqd, 3, 1);
            return default;
        }
        var info = CodeLists.Lists.SizeTypes.Lookup(code);
        if (!info.IsKnown)
        {
            Unmapped(CodeListNames.SizeTypes, text.ToString(), MappingErrorCodes.SizeTypeUnknown, $"Size-type '{text}' is in no ISO 6346 code list known here", eqd, 3, 1);
        }
        return info.Canonical;
    }

    /// <summary>
    /// A DTM value as an instant with offset; 102 dates are midnight UTC; 203/204 (no zone) are read in the sender's zone
    /// (<see cref="Clock"/>), what had to be assumed counted for one finding per message or file.
    /// </summary>
    public DateTimeOffset? Date(EdifactSegment dtm) => Date(dtm, OverlapChoice.Earlier, out _);

    /// <param name="dtm">The DTM.</param>
    /// <param name="overlap">Which instant a local time that happened twice is (the safer one for the caller).</param>
    /// <param name="zoned">True when the value had its own zone or the sender's zone is configured for the customs authority itself.</param>
    public DateTimeOffset? Date(EdifactSegment dtm, OverlapChoice overlap, out bool zoned)
    {
        zoned = true;
        var value = dtm.GetSpan(1, 2);
        var format = dtm.GetSpan(1, 3);
        if (format.IsEmpty)
        {
            format = "102";
        }
        if (EdifactDates.TryParse(value, format, out var instant, out var hasOffset))
        {
            if (hasOffset)
            {
                return instant;
            }
            var assumedBefore = Clock.AssumedCount;
            var read = Clock.Read(instant.DateTime, overlap, out var mapping);
            if (read is null)
            {
                Error(MappingErrorCodes.DateInvalid, $"DTM {dtm.GetValue(1, 1)} '{value}' names no representable instant in {Clock.ZoneId}.", dtm, 1, 2);
                return null;
            }
            if (Clock.AssumedCount > assumedBefore)
            {
                FirstAssumed ??= dtm;
            }
            if (mapping != LocalTimeMapping.Unambiguous)
            {
                FirstDaylightSaving ??= dtm;
            }
            zoned = Clock.IsAuthoritative;
            return read;
        }
        Error(MappingErrorCodes.DateInvalid, $"DTM {dtm.GetValue(1, 1)} '{value}' does not match format {format} (supported: 102, 203, 204, 303, 304).", dtm, 1, 2);
        return null;
    }

    /// <summary>
    /// The message's time-zone findings, once each with the count (not once per DTM): times read without a zone
    /// configured for the sender, and daylight-saving guesses. For a clock owned by this message only.
    /// </summary>
    public void ReportClock()
    {
        // Described only when the report keeps the finding (a file of messages each with a zoneless time repeats it).
        if (FirstAssumed is { } assumed && (Wants(MappingErrorCodes.DateWithoutOffset) ? Clock.DescribeAssumed() : string.Empty) is { } text)
        {
            Warning(MappingErrorCodes.DateWithoutOffset, text, assumed, 1, 2);
        }
        if (FirstDaylightSaving is { } dst && (Wants(MappingErrorCodes.DateDaylightSaving) ? Clock.DescribeDaylightSaving() : string.Empty) is { } dstText)
        {
            Warning(MappingErrorCodes.DateDaylightSaving, dstText, dst, 1, 2);
        }
    }

    /// <summary>MEA gross mass in kilograms (KGM, or TNE converted); null and reported when not a number or another unit.</summary>
    public decimal? MassKg(EdifactSegment mea)
    {
        var unit = mea.GetSpan(3, 1);
        var text = mea.GetSpan(3, 2);
        if (!TryParseDecimal(text, out var value))
        {
            Error(MappingErrorCodes.MassInvalid, $"MEA value '{text}' is not a number.", mea, 3, 2);
            return null;
        }
        switch (unit)
        {
            case "KGM":
                return Normalize(value);
            case "TNE":
                // Checked: a hostile value near decimal.MaxValue would overflow the conversion.
                if (Math.Abs(value) > MaxTonnes)
                {
                    Error(MappingErrorCodes.MassInvalid, $"MEA value '{text}' t is out of range.", mea, 3, 2);
                    return null;
                }
                return Normalize(value * 1000m);
            default:
                Error(MappingErrorCodes.MassInvalid, $"MEA unit '{unit}' is not a mass unit this mapping reads (KGM, TNE).", mea, 3, 1);
                return null;
        }
    }

    // A decimal comma read as a point (what string.Replace(',', '.') did), without a string per value.
    private static bool TryParseDecimal(ReadOnlySpan<char> text, out decimal value)
    {
        if (text.IndexOf(',') < 0)
        {
            return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
        }
        Span<char> copy = text.Length <= 128 ? stackalloc char[text.Length] : new char[text.Length];
        text.Replace(copy, ',', '.');
        return decimal.TryParse(copy, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    private static readonly decimal MaxTonnes = decimal.MaxValue / 1000m;

    // 23.15 t is 23150 kg, not 23150.00: trailing zeros from the conversion are not precision the sender gave.
    // A whole number with no decimals is already normal (the division, slow for decimal, would give it back unchanged).
    private static decimal Normalize(decimal value) => value.Scale == 0 && value != 0m ? value : value / 1.0000000000000000000000000000m;

    public static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
