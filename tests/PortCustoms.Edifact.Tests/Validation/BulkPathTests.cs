using System.Runtime.Intrinsics;
using System.Text;

namespace PortCustoms.Edifact.Tests;

/// <summary>
/// The validator's bulk path (the vectorized skip over 32-byte blocks) takes UNH and UNT itself when they raise no
/// envelope finding, and leaves every other case to the token path. Each interchange here is long enough for the bulk
/// path to run, and is also read in every chunk size from 1 to 200 bytes (buffer ends everywhere): same findings.
/// </summary>
public class BulkPathTests
{
    private const string Header = "UNA:+.? '\nUNB+UNOC:3+SENDER+RECIPIENT+260101:1200+REF1'\n";
    private const string Body = "FTX+AAA+++PLAIN DATA SEGMENT TEXT NUMBER ONE'\nDTM+137:202601011200:203'\n";

    private static string Message(string reference, string? trailer = null) =>
        $"UNH+{reference}+CUSCAR:D:95B:UN'\n{Body}{trailer ?? $"UNT+4+{reference}"}'\n";

    private static string Messages(int from, int to) =>
        string.Concat(Enumerable.Range(from, to - from + 1).Select(i => Message($"M{i}")));

    /// <summary>Five good messages, the one under test, five more, and a UNZ counting them all.</summary>
    private static string Interchange(string message) =>
        Header + Messages(1, 5) + message + Messages(7, 11) + "UNZ+11+REF1'\n";

    private static string[] Findings(EdifactValidationResult result) =>
        [.. result.Diagnostics.Select(d => $"{d.Code}@{d.Line}/{d.Segment}/{d.Position.Element}")];

    /// <summary>Every read path (see <see cref="Validation.Run(byte[], EdifactValidationMode)"/>), then a stream in every chunk size from 1 to 200 bytes.</summary>
    private static EdifactValidationResult RunEveryWay(string text, int maxChunk = 200)
    {
        byte[] data = Encoding.Latin1.GetBytes(text);
        EdifactValidationResult result = Validation.Run(data, EdifactValidationMode.Strict);
        var validator = new EdifactInterchangeValidator(new EdifactValidationOptions { Mode = EdifactValidationMode.Strict, BufferSize = 256 });
        for (int chunk = 1; chunk <= maxChunk; chunk++)
        {
            EdifactValidationResult streamed = validator.ValidateAsync(new NonSeekableStream(data, chunk)).GetAwaiter().GetResult();
            Assert.True(result.Diagnostics.SequenceEqual(streamed.Diagnostics), $"Chunks of {chunk} bytes: {string.Join(", ", Findings(streamed))} instead of {string.Join(", ", Findings(result))}.");
            Assert.Equal(result.MessageCount, streamed.MessageCount);
        }

        return result;
    }

    /// <summary>The line of the first occurrence of <paramref name="marker"/>; one segment per line, after UNA, so the segment is one less.</summary>
    private static long LineOf(string text, string marker) => text.AsSpan(0, text.IndexOf(marker, StringComparison.Ordinal)).Count('\n') + 1;

    [Fact]
    public void Many_messages_taken_in_bulk_are_all_counted()
    {
        string text = Header + Messages(1, 40) + "UNZ+40+REF1'\n";

        EdifactValidationResult result = RunEveryWay(text);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(40, result.MessageCount);
    }

    [Fact]
    public void Messages_in_a_group_taken_in_bulk_are_counted_for_the_group()
    {
        string text = Header + "UNG+CUSCAR+SENDER+RECIPIENT+260101:1200+G1+UN+D:95B'\n" + Messages(1, 12) + "UNE+12+G1'\nUNZ+1+REF1'\n";

        EdifactValidationResult result = RunEveryWay(text);

        Assert.Empty(result.Diagnostics);
        Assert.Equal((1, 12), (result.GroupCount, result.MessageCount));
    }

    [Theory]
    [InlineData("UNT+5+M6", EdifactErrorCodes.MessageCountMismatch, 1)]
    [InlineData("UNT+3+M6", EdifactErrorCodes.MessageCountMismatch, 1)]
    [InlineData("UNT+4X+M6", EdifactErrorCodes.MessageCountMismatch, 1)]
    [InlineData("UNT+-4+M6", EdifactErrorCodes.MessageCountMismatch, 1)]
    [InlineData("UNT+99999999999+M6", EdifactErrorCodes.MessageCountMismatch, 1)]
    [InlineData("UNT+4+M7", EdifactErrorCodes.MessageReferenceMismatch, 2)]
    [InlineData("UNT+4+M", EdifactErrorCodes.MessageReferenceMismatch, 2)]
    [InlineData("UNT+4+M66", EdifactErrorCodes.MessageReferenceMismatch, 2)]
    [InlineData("UNT+4", EdifactErrorCodes.MessageReferenceMismatch, 2)]
    public void A_UNT_that_does_not_match_is_left_to_the_token_path_and_reported(string trailer, string code, int element)
    {
        string text = Interchange(Message("M6", trailer));

        EdifactValidationResult result = RunEveryWay(text);

        long line = LineOf(text, trailer + "'");
        Assert.Equal([$"{code}@{line}/{line - 1}/{element}"], Findings(result));
        Assert.Equal(11, result.MessageCount);
    }

    [Theory]
    [InlineData("M6", "UNT+0004+M6")] // leading zeros are still the number
    [InlineData("M6", "UNT+4:X+M6:Y")] // only the first component counts
    [InlineData("M?+6", "UNT+4+M?+6")] // a released separator in the reference: the token path unescapes both
    [InlineData("M?'6", "UNT+4+M?'6")]
    [InlineData("REFERENCE-LONGER-THAN-THIRTY-FIVE-CHARACTERS", "UNT+4+REFERENCE-LONGER-THAN-THIRTY-FIVE-CHARACTERS")]
    [InlineData("M6:ONE", "UNT+4+M6")]
    public void Unusual_but_matching_UNH_and_UNT_are_no_finding(string reference, string trailer)
    {
        EdifactValidationResult result = RunEveryWay(Interchange(Message(reference, trailer)));

        Assert.Empty(result.Diagnostics);
        Assert.Equal(11, result.MessageCount);
    }

    [Fact]
    public void A_UNH_before_the_UNT_reports_the_missing_trailer_where_it_starts()
    {
        string text = Interchange($"UNH+M6+CUSCAR:D:95B:UN'\n{Body}");

        EdifactValidationResult result = RunEveryWay(text); // a message without its trailer still counts

        long line = LineOf(text, "UNH+M7");
        Assert.Equal([$"{EdifactErrorCodes.MessageTrailerMissing}@{line}/{line - 1}/0"], Findings(result));
    }

    [Fact]
    public void A_UNT_without_UNH_and_a_segment_between_messages_are_reported()
    {
        string text = Interchange($"{Body}UNT+4+M6'\n");

        EdifactValidationResult result = RunEveryWay(text.Replace("UNZ+11", "UNZ+10", StringComparison.Ordinal));

        long data = LineOf(text, Body + "UNT+4+M6");
        long trailer = LineOf(text, "UNT+4+M6");
        Assert.Equal(
            [$"{EdifactErrorCodes.SegmentOutsideMessage}@{data}/{data - 1}/0", $"{EdifactErrorCodes.MessageTrailerUnexpected}@{trailer}/{trailer - 1}/0"],
            Findings(result));
    }

    [Fact]
    public void Messages_beside_a_group_are_reported_at_each_UNH()
    {
        string text = Header + "UNG+CUSCAR+SENDER+RECIPIENT+260101:1200+G1+UN+D:95B'\n" + Messages(1, 3) + "UNE+3+G1'\n" + Messages(4, 5) + "UNZ+1+REF1'\n";

        EdifactValidationResult result = RunEveryWay(text);

        long fourth = LineOf(text, "UNH+M4");
        long fifth = LineOf(text, "UNH+M5");
        Assert.Equal(
            [$"{EdifactErrorCodes.GroupsAndMessagesMixed}@{fourth}/{fourth - 1}/0", $"{EdifactErrorCodes.GroupsAndMessagesMixed}@{fifth}/{fifth - 1}/0"],
            Findings(result));
    }

    [Fact]
    public void A_repetition_separator_ends_an_envelope_value()
    {
        // Syntax version 4 declares '*' as the repetition separator: the reference is the first occurrence.
        string text = Interchange(Message("M6*X", "UNT+4+M6*Y")).Replace("UNA:+.? '", "UNA:+.?*'", StringComparison.Ordinal).Replace("UNOC:3", "UNOC:4", StringComparison.Ordinal);

        Assert.Empty(RunEveryWay(text).Diagnostics);
    }

    private static string HeaderWithoutUna(int version) =>
        $"UNB+UNOC:{version}+SENDER+RECIPIENT+{(version == 4 ? "20260101" : "260101")}:1200+REF1'\n";

    [Theory]
    [InlineData(4)]
    [InlineData(3, EdifactErrorCodes.MessageReferenceMismatch)]
    public void Without_a_UNA_the_syntax_version_decides_whether_a_star_separates_repetitions(int version, params string[] codes)
    {
        // Version 4 (ISO 9735-1): '*' is the default repetition separator, so both references are M6; version 3: data.
        string text = HeaderWithoutUna(version) + Messages(1, 5) + Message("M6*X", "UNT+4+M6*Y") + Messages(7, 11) + "UNZ+11+REF1'\n";

        EdifactValidationResult result = RunEveryWay(text);

        // No UNA line: the UNB is line and segment 1, so a segment's number is its line.
        long line = LineOf(text, "UNT+4+M6*Y");
        Assert.Equal(codes.Select(code => $"{code}@{line}/{line}/2"), Findings(result));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(3, EdifactErrorCodes.ReleaseBeforeOrdinaryCharacter)]
    public void Without_a_UNA_a_released_star_is_a_service_character_in_version_4_only(int version, params string[] codes)
    {
        string text = HeaderWithoutUna(version) + Messages(1, 5) + "UNH+M6+CUSCAR:D:95B:UN'\nFTX+AAA+++STAR ?* TEXT'\nDTM+137:202601011200:203'\nUNT+4+M6'\n"
            + Messages(7, 11) + "UNZ+11+REF1'\n";

        EdifactValidationResult result = RunEveryWay(text);

        long line = LineOf(text, "FTX+AAA+++STAR");
        Assert.Equal(codes.Select(code => $"{code}@{line}/{line}/0"), Findings(result));
    }

    /// <summary>ISO 9735 findings with the byte that decides them at every offset of a 32-byte block.</summary>
    [Theory]
    [InlineData("EQD+CN+MSCU1234566:+45G1", EdifactErrorCodes.TrailingSeparator)]
    [InlineData("FTX+AAA+++TEXT+", EdifactErrorCodes.TrailingSeparator)]
    [InlineData("FTX+AAA+++TEXT:", EdifactErrorCodes.TrailingSeparator)]
    [InlineData("FTX+AAA+++TEXT ?A", EdifactErrorCodes.ReleaseBeforeOrdinaryCharacter)]
    [InlineData("FTX+AAA+++?ATEXT", EdifactErrorCodes.ReleaseBeforeOrdinaryCharacter)]
    [InlineData("FTX+AAA+++TEXT ?\u0001", EdifactErrorCodes.ReleaseBeforeOrdinaryCharacter, EdifactErrorCodes.InvalidCharacter)]
    [InlineData("FTX+AAA+++TEXT ?:?+?'??")]
    [InlineData("FTX+AAA+++TEXT??")]
    [InlineData("FTX+AAA+++TEXT?:+X")]
    [InlineData("FTX+AAA+++TEXT ?+")]
    public void Findings_decided_at_a_block_boundary_are_the_same_on_every_path(string segment, params string[] codes)
    {
        for (int shift = 0; shift < 33; shift++)
        {
            string text = Header + "UNH+M1+CUSCAR:D:95B:UN'\nFTX+AAA++X" + new string('P', shift) + "'\n" + segment + "'\n" + Body + "UNT+6+M1'\nUNZ+1+REF1'\n";

            EdifactValidationResult result = RunEveryWay(text, maxChunk: 80);

            long line = LineOf(text, segment + "'");
            Assert.Equal(codes.Select(code => $"{code}@{line}/{line - 1}/0"), Findings(result));
        }
    }

    /// <summary>Segment starts, tags and line counts that whole blocks (taken from their bit masks) decide, at every offset of a block.</summary>
    [Theory]
    [InlineData("\r\n", "", "")]
    [InlineData("\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n", "", "")] // line breaks longer than a block
    [InlineData("\n", "ftx+AAA+X", EdifactErrorCodes.InvalidSegmentTag)]
    [InlineData("\n", "UNS+S", "")]
    [InlineData("\n", "UCI+1+S+R+7", "")]
    [InlineData("\n", "\tFTX+AAA+X", "")]
    [InlineData("\r\n", "FTX+AAA+X\rY", EdifactErrorCodes.InvalidCharacter)]
    [InlineData("\n", "FTX+AAA+X\nY", EdifactErrorCodes.InvalidCharacter)]
    [InlineData("", "FTX+AAA+X", "")]
    public void Whole_blocks_find_segments_tags_and_lines_as_the_token_path_does(string lineBreak, string segment, string code)
    {
        string Data(int i) => $"FTX+AAA++DATA {i}{lineBreak.Length}'{lineBreak}";
        for (int shift = 0; shift < 33; shift++)
        {
            string message = $"UNH+M1+CUSCAR:D:95B:UN'{lineBreak}FTX+AAA++X{new string('P', shift)}'{lineBreak}"
                + string.Concat(Enumerable.Range(1, 6).Select(Data))
                + (segment.Length > 0 ? segment + "'" + lineBreak : string.Empty)
                + string.Concat(Enumerable.Range(7, 6).Select(Data));
            int segments = 2 + 12 + (segment.Length > 0 ? 1 : 0) + 1;
            string text = Header + message + $"UNT+{segments}+M1'{lineBreak}UNZ+1+REF1'{lineBreak}";

            EdifactValidationResult result = RunEveryWay(text, maxChunk: 80);

            if (code.Length == 0)
            {
                Assert.Empty(result.Diagnostics);
            }
            else
            {
                EdifactDiagnostic finding = Assert.Single(result.Diagnostics);
                long line = segment.Contains('\n', StringComparison.Ordinal) ? 1 + text.AsSpan(0, text.IndexOf(segment, StringComparison.Ordinal) + segment.IndexOf('\n', StringComparison.Ordinal)).Count('\n') : LineOf(text, segment);
                Assert.Equal((code, line), (finding.Code, finding.Line));
            }
        }
    }

    // The bulk path itself, without the parser: what it takes and where it stops.
    private const string Run = "UNH+1+X'\nBGM+1'\nUNT+3+1'\nUNH+2+X'\nBGM+2'\nDTM+3'\nUNT+4+2'\nUNH+3+X'\nBGM+3'\n";

    /// <summary>What one call of the bulk path did: segments taken, bytes consumed, and the <see cref="MessageRun"/> it handed back.</summary>
    private readonly record struct Skipped(int Count, long Consumed, int Closed, bool InMessage, bool Opened, int Segments, string Reference, EdifactPosition Header);

    private static Skipped Skip(string text, bool inMessage = false, int segments = 0, string reference = "", bool mayOpen = true)
    {
        // Padding past the last segment: the vector loop reads a block and one byte more.
        byte[] data = Encoding.Latin1.GetBytes(text + new string('\n', 40) + "UNZ+3+1'");
        var reader = new EdifactReader(data);
        var run = new MessageRun { InMessage = inMessage, Segments = segments, Reference = Encoding.Latin1.GetBytes(reference), MayOpen = mayOpen };
        int count = reader.SkipDataSegments(null, latin1: false, ref run);
        return new(count, reader.BytesConsumed, run.Closed, run.InMessage, run.Opened, run.Segments, Encoding.Latin1.GetString(run.Reference), run.Header);
    }

    [Fact]
    public void The_bulk_path_takes_matching_UNH_and_UNT_and_reports_the_open_message()
    {
        Skipped run = Skip(Run);

        if (!Vector256.IsHardwareAccelerated)
        {
            Assert.Equal(0, run.Count); // the scalar loop takes data segments inside a message only
            return;
        }

        Assert.Equal(9, run.Count);
        Assert.Equal(Run.Length - 1, run.Consumed); // after the last terminator
        Assert.Equal((2, true, true, 2), (run.Closed, run.InMessage, run.Opened, run.Segments));
        Assert.Equal("3", run.Reference);
        Assert.Equal(new EdifactPosition(8, Run.IndexOf("UNH+3", StringComparison.Ordinal), 8, 0, 0), run.Header);
    }

    [Fact]
    public void The_bulk_path_closes_the_message_open_before_it()
    {
        Skipped run = Skip("DTM+1'\nUNT+5+OPEN'\n" + Run, inMessage: true, segments: 3, reference: "OPEN");

        if (!Vector256.IsHardwareAccelerated)
        {
            Assert.Equal((1, 4), (run.Count, run.Segments));
            return;
        }

        Assert.Equal(11, run.Count);
        Assert.Equal((3, true, 2), (run.Closed, run.Opened, run.Segments));
    }

    [Theory]
    [InlineData("DTM+1'\nUNT+5+OPEN'\n", true, 1)] // count 5 where 4 were seen: stops before UNT
    [InlineData("DTM+1'\nUNT+4+SHUT'\n", true, 1)] // another reference: the same
    [InlineData("DTM+1'\nUNH+9+X'\n", true, 1)] // UNH inside a message: the missing UNT is the token path's
    [InlineData("UNH+1+X'\n", false, 0)] // a UNH where none may open (MayOpen false below)
    public void The_bulk_path_stops_before_an_envelope_segment_with_a_finding(string text, bool inMessage, int taken)
    {
        Skipped run = Skip(text + Run, inMessage, segments: inMessage ? 2 : 0, reference: "OPEN", mayOpen: inMessage);

        Assert.Equal(taken, run.Count);
        Assert.Equal(taken == 0 ? 0 : text.IndexOf('\n'), run.Consumed);
        Assert.Equal((0, false), (run.Closed, run.Opened));
    }

    [Theory]
    [InlineData("BGM+1'\n")] // a data segment outside a message
    [InlineData("UNH+?+1+X'\n")] // a release in the reference: unescaping is the token path's
    [InlineData("UNH'\n")] // no reference at all
    public void The_bulk_path_leaves_other_UNH_and_stray_segments_to_the_token_path(string text)
    {
        Skipped run = Skip(text + Run);

        Assert.Equal((0, 0L, false), (run.Count, run.Consumed, run.Opened));
    }
}
