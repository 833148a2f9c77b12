using System.Text;

namespace PortCustoms.Edifact.Tests;

public class ValidationScenarioTests
{
    [Fact]
    public void A_generated_interchange_of_many_messages_is_valid()
    {
        EdifactValidationResult result = Validation.Run(InterchangeGenerator.Small(messages: 200), EdifactValidationMode.Strict);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(200, result.MessageCount);
    }

    [Theory]
    [InlineData(0x85)]
    [InlineData(0x07)]
    [InlineData(0x7F)]
    public void A_control_byte_deep_in_a_UNOC_interchange_is_reported_at_its_offset(byte control)
    {
        byte[] data = InterchangeGenerator.Small(messages: 60);
        int at = IndexOf(data, "Release", occurrence: 40) + 3;
        data[at] = control;

        EdifactValidationResult result = Validation.Run(data, EdifactValidationMode.Strict);

        EdifactDiagnostic finding = Assert.Single(result.Diagnostics);
        Assert.Equal(EdifactErrorCodes.InvalidCharacter, finding.Code);
        Assert.Equal(at, finding.Position.ByteOffset);
        Assert.Equal(1 + (39 * 7) + 4, finding.Segment);
    }

    [Fact]
    public void Latin1_letters_in_a_UNOC_interchange_are_valid()
    {
        byte[] data = InterchangeGenerator.Small(messages: 20);
        int at = IndexOf(data, "Release", occurrence: 10);
        data[at] = 0xC9;
        data[at + 1] = 0xFF;

        Assert.Empty(Validation.Run(data, EdifactValidationMode.Strict).Diagnostics);
    }

    [Fact]
    public void Lower_case_is_valid_in_UNOB_and_reported_in_UNOA()
    {
        string text = Encoding.Latin1.GetString(InterchangeGenerator.Small(messages: 20)).Replace("Release", "release", StringComparison.Ordinal);

        Assert.Empty(Validation.Run(text.Replace("UNOC", "UNOB", StringComparison.Ordinal), EdifactValidationMode.Strict).Diagnostics);
        EdifactValidationResult unoa = Validation.Run(text.Replace("UNOC", "UNOA", StringComparison.Ordinal), EdifactValidationMode.Lenient);
        Assert.Equal(20, unoa.Diagnostics.Count(d => d.Code == EdifactErrorCodes.InvalidCharacter));
    }

    [Fact]
    public void A_line_feed_inside_a_data_segment_is_reported_and_counted_as_a_line()
    {
        byte[] data = InterchangeGenerator.Small(messages: 10);
        int at = IndexOf(data, "Release", occurrence: 5);
        data[at] = (byte)'\n';

        EdifactValidationResult result = Validation.Run(data, EdifactValidationMode.Strict);

        EdifactDiagnostic finding = Assert.Single(result.Diagnostics);
        Assert.Equal(EdifactErrorCodes.InvalidCharacter, finding.Code);
        Assert.Equal(at, finding.Position.ByteOffset);
        Assert.Equal(2 + (4 * 7) + 4, finding.Line);
    }

    [Fact]
    public async Task A_message_validator_adds_its_findings_in_file_order()
    {
        byte[] data = InterchangeGenerator.Small(messages: 3);
        var validator = new EdifactInterchangeValidator();
        var seen = new List<string>();

        EdifactValidationResult result = await validator.ValidateAsync(
            new MemoryStream(data),
            (message, findings) =>
            {
                seen.Add(message.Reference);
                EdifactSegment equipment = message.Segments.Single(s => s.Tag == "EQD");
                findings.Add(new EdifactDiagnostic("STR-TEST", EdifactSeverity.Warning, "seen", equipment.Position));
            });

        Assert.Equal(["1", "2", "3"], seen);
        Assert.Equal(3, result.Warnings.Count);
        Assert.True(result.IsValid);
        Assert.Equal(result.Diagnostics.OrderBy(d => d.Position.ByteOffset), result.Diagnostics);
    }

    [Fact]
    public async Task ValidateFileAsync_SampleFile_ReportsItsTrailerFaults()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "edifact.01.multi-message.edi");

        EdifactValidationResult result = await new EdifactInterchangeValidator().ValidateFileAsync(path);

        Assert.Equal(2, result.MessageCount);
        Assert.Equal(3, result.Errors.Count);
        Assert.Equal(new FileInfo(path).Length, result.BytesRead);
    }

    [Fact]
    public void ModelFactory_ValidationResult_SplitsErrorsAndWarnings()
    {
        var position = new EdifactPosition(1, 0, 1, 0, 0);

        EdifactValidationResult result = EdifactModelFactory.ValidationResult(
            interchangeCount: 1,
            messageCount: 2,
            diagnostics: [new("A", EdifactSeverity.Error, "", position), new("B", EdifactSeverity.Warning, "", position)]);

        Assert.False(result.IsValid);
        Assert.Equal("A", Assert.Single(result.Errors).Code);
        Assert.Equal("B", Assert.Single(result.Warnings).Code);
    }

    [Fact]
    public void Diagnostic_WholeSegment_HasNullElementAndComponent()
    {
        var diagnostic = new EdifactDiagnostic("X", EdifactSeverity.Error, "", new EdifactPosition(3, 10, 2, 0, 0));

        Assert.Null(diagnostic.Element);
        Assert.Null(diagnostic.Component);
        Assert.Equal(2, diagnostic.Segment);
    }

    private static int IndexOf(byte[] data, string text, int occurrence)
    {
        byte[] needle = Encoding.ASCII.GetBytes(text);
        int from = 0;
        for (int i = 0; i < occurrence; i++)
        {
            from = data.AsSpan(from).IndexOf(needle) + from + 1;
        }

        return from - 1;
    }
}
