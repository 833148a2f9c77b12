using System.Text;
using PortCustoms.Cli.Files;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;

namespace PortCustoms.Cli.Tests;

/// <summary>
/// Issue 13 point 9: <c>validate</c> formats a finding's text only when the report lists it. The report must be what
/// formatting every finding (the validator as it was) gave: the same listed findings, texts and positions, and counts.
/// </summary>
public sealed class ValidateFindingTextTests
{
    /// <summary>
    /// Per message: an unknown size-type and a date without a zone (warnings); a failed check digit every third; a voyage
    /// too long for its element every fifth (structure); every seventh a message type the mapping does not read.
    /// </summary>
    private static byte[] ManyFindings(int messages)
    {
        var file = new StringBuilder("UNA:+.? 'UNB+UNOC:3+NLRTMECT+NLCUSTOMS+261126:0400+CA1'\n");
        for (var n = 1; n <= messages; n++)
        {
            var container = n % 3 == 0 ? "MSCU1234567" : "MSCU1234566";
            var voyage = n % 5 == 0 ? "124E-VOYAGE-NUMBER-FAR-TOO-LONG-FOR-8028" : "124E";
            var type = n % 7 == 0 ? "IFTSTA" : "COARRI";
            file.Append($"UNH+M{n}+{type}:D:96B:UN:SMDG15'\nBGM+44+DIS-{n}+9'\nTDT+20+{voyage}+1++MSC:172:20+++9811000:146:11:MSC EXAMPLE'\n")
                .Append($"LOC+11+NLRTM:139:6'\nNAD+MS+NLRTMECT:160:166'\nEQD+CN+{container}+45X{n % 10}:102:5++3+5'\nDTM+203:20261126030200:204'\nMEA+AAE+G+KGM:18000'\nCNT+16:1'\nUNT+10+M{n}'\n");
        }
        return Encoding.Latin1.GetBytes(file.Append($"UNZ+{messages}+CA1'\n").ToString());
    }

    /// <summary>The validator before texts were formatted on demand: every finding formatted, the collector capping them.</summary>
    private static async Task<(List<FileDiagnostic> Errors, List<FileDiagnostic> Warnings, IReadOnlyList<FindingCount> Counts)> FormattingEveryFindingAsync(byte[] content, EdifactValidationOptions options)
    {
        var translator = new EdifactTranslator();
        var validation = await new EdifactInterchangeValidator(options).ValidateAsync(new MemoryStream(content), (message, sink) =>
        {
            var structured = StructuredMessage.Create(message);
            var diagnostics = EdifactTranslator.SupportedTypes.Contains(structured.MessageType) ? translator.Translate(structured).Diagnostics : structured.StructureDiagnostics;
            foreach (var diagnostic in diagnostics)
            {
                Assert.NotEqual(string.Empty, diagnostic.Message);
                sink.Add(diagnostic);
            }
        });
        List<FileDiagnostic> warnings = [.. validation.Warnings.Select(FileDiagnostic.From)];
        if (validation.DiagnosticsDropped > 0)
        {
            warnings.Add(new FileDiagnostic(CliErrorCodes.FindingsTruncated, $"{validation.DiagnosticsDropped} more findings were counted but not listed (see counts).", null, null, null, null));
        }
        return ([.. validation.Errors.Select(FileDiagnostic.From)], warnings, validation.FindingCounts);
    }

    [Theory]
    [InlineData(100, 400)]
    [InlineData(3, 60)]
    [InlineData(1, 15)]
    public async Task The_report_is_the_one_formatting_every_finding_gave(int perCode, int messages)
    {
        var content = ManyFindings(messages);
        var options = new EdifactValidationOptions { MaxFindingsPerCode = perCode };
        var (errors, warnings, counts) = await FormattingEveryFindingAsync(content, options);
        Assert.True(counts.Count >= 4, string.Join(", ", counts.Select(c => c.Code)));
        Assert.Contains(counts, c => c.Count > perCode);

        var report = await new FileValidator().ValidateAsync("many.edi", new MemoryStream(content), options);

        Assert.NotEmpty(errors);
        Assert.Equal(errors, report.Errors);
        Assert.Equal(warnings, report.Warnings);
        Assert.Equal(counts, report.Counts);
        Assert.All(report.Errors.Concat(report.Warnings), d => Assert.NotEqual(string.Empty, d.Message));
    }
}
