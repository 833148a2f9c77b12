using System.Text;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using PortCustoms.Core.CodeLists;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.Core.Tests.Fixtures;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;
using static PortCustoms.Core.Tests.Translation.TranslationFixtures;

namespace PortCustoms.Core.Tests.CodeLists;

/// <summary>Issue 15 point 4: code lists as versioned data, overridable per deployment; an unmapped code is held or rejected, counted and reported.</summary>
public sealed class CodeListTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly List<string> _files = [];

    public void Dispose()
    {
        _meters.Dispose();
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private string OverrideFile(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"codelist-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        _files.Add(path);
        return path;
    }

    private static async Task<TranslatedMessage> TranslateWith(CodeListService lists, string type, params string[] body)
    {
        var document = await EdifactDocument.ReadAsync(Encoding.Latin1.GetBytes(Interchange(type, type == "CUSRES" ? "D96B" : "D95B", body)));
        return new EdifactTranslator { CodeLists = lists }.Translate(Assert.Single(document.Messages));
    }

    private static readonly string[] GateIn =
        ["BGM+34+E1+9", "TDT+20+124E+1+++++9811000:146:11", "NAD+MS+T", "EQD+CN+MSCU1234566+45G1:102:5", "DTM+7:202611260815?+01:303", "LOC+165+NLRTM:139:6", "CNT+16:1"];

    private static readonly string[] Manifest =
    [
        "BGM+85+124E+9", "TDT+20+124E+1+++++9811000:146:11:MSC EXAMPLE", "LOC+9+CNSHA:139:6", "LOC+11+NLRTM:139:6", "EQD+CN+MSCU1234566+45G1:102:5+++5",
        "CNI+1+MEDU1234567", "RFF+BM:MEDU1234567", "GID+1+120:CT", "FTX+AAA+++Ceramic tableware", "MEA+AAE+G+KGM:4500.5", "SGP+MSCU1234566", "CST++691110:169:1",
    ];

    private static string[] With(string[] body, string from, string to) => body.Select(s => s == from ? to : s).ToArray();

    public static TheoryData<string, string, string, string, string, int, int, int> UnmappedPositions => new()
    {
        // list, error code, message type, segment replaced, by, segment, element, component
        { CodeListNames.SizeTypes, MappingErrorCodes.SizeTypeUnknown, "CODECO", "EQD+CN+MSCU1234566+45G1:102:5", "EQD+CN+MSCU1234566+99X9:102:5", 6, 3, 1 },
        { CodeListNames.UnLocodes, MappingErrorCodes.LocodeUnknown, "CODECO", "LOC+165+NLRTM:139:6", "LOC+165+XXABC:139:6", 8, 2, 1 },
        { CodeListNames.PackageTypes, MappingErrorCodes.PackageTypeUnknown, "CUSCAR", "GID+1+120:CT", "GID+1+120:QQ", 10, 2, 2 },
        { CodeListNames.HsCodes, MappingErrorCodes.HsCodeInvalid, "CUSCAR", "CST++691110:169:1", "CST++6911101:169:1", 14, 2, 1 },
    };

    [Theory]
    [MemberData(nameof(UnmappedPositions))]
    public async Task An_unmapped_code_is_held_with_a_warning_kept_as_sent_and_counted(string list, string code, string type, string from, string to, int segment, int element, int component)
    {
        using var counted = new MetricCollector<long>(_meters, CodeListService.MeterName, "portcustoms.codelists.unmapped");
        var lists = new CodeListService(CodeListSet.Shipped, UnmappedCodeAction.Hold, _meters);

        var message = await TranslateWith(lists, type, With(type == "CODECO" ? GateIn : Manifest, from, to));

        var finding = Assert.Single(message.Diagnostics, d => d.Code == code);
        Assert.Equal((EdifactSeverity.Warning, segment, element, component), (finding.Severity, finding.Segment, finding.Element, finding.Component));
        Assert.Contains(list, finding.Message, StringComparison.Ordinal);
        Assert.False(message.HasErrors);
        Assert.True(message.Events is { Count: 1 } || message.Manifest is not null);
        var measurement = Assert.Single(counted.GetMeasurementSnapshot());
        Assert.Equal(list, measurement.Tags["list"]);
        Assert.Equal("HOLD", measurement.Tags["action"]);
    }

    [Theory]
    [MemberData(nameof(UnmappedPositions))]
    public async Task An_unmapped_code_rejects_the_message_when_so_configured(string list, string code, string type, string from, string to, int segment, int element, int component)
    {
        var lists = new CodeListService(CodeListSet.Shipped, UnmappedCodeAction.Reject, _meters);

        var message = await TranslateWith(lists, type, With(type == "CODECO" ? GateIn : Manifest, from, to));

        var finding = Assert.Single(message.Diagnostics, d => d.Code == code);
        Assert.Equal((EdifactSeverity.Error, segment, element, component), (finding.Severity, finding.Segment, finding.Element, finding.Component));
        Assert.Contains(list, finding.Message, StringComparison.Ordinal);
        Assert.True(message.HasErrors);
    }

    [Fact]
    public async Task An_unmapped_customs_status_is_HOLD_and_counted_by_list_and_code_even_when_rejecting_is_configured()
    {
        using var counted = new MetricCollector<long>(_meters, CodeListService.MeterName, "portcustoms.codelists.unmapped");
        var lists = new CodeListService(CodeListSet.Shipped, UnmappedCodeAction.Reject, _meters);

        var message = await TranslateWith(lists, "CUSRES", "BGM+962+REF1+9", "DTM+182:202611260710?+00:303", "GIS+4", "GIS+93", "EQD+CN+MSCU1234566", "RFF+ABT:REF1");

        Assert.Equal(CustomsStatus.Hold, Assert.Single(message.Notifications!).Status);
        Assert.Single(message.Diagnostics, d => d.Code == MappingErrorCodes.CustomsStatusUnmapped);
        var measurement = Assert.Single(counted.GetMeasurementSnapshot());
        Assert.Equal((CodeListNames.CustomsStatus, "93"), (measurement.Tags["list"], measurement.Tags["code"]));
    }

    [Fact]
    public void The_code_tag_is_bounded_per_list()
    {
        using var counted = new MetricCollector<long>(_meters, CodeListService.MeterName, "portcustoms.codelists.unmapped");
        var lists = new CodeListService(CodeListSet.Shipped, UnmappedCodeAction.Hold, _meters);

        for (var i = 0; i < CodeListService.MaxCodesPerList + 20; i++)
        {
            lists.CountUnmapped(CodeListNames.PackageTypes, $"Q{i}");
        }

        var codes = counted.GetMeasurementSnapshot().Select(m => (string)m.Tags["code"]!).ToList();
        Assert.Equal(CodeListService.MaxCodesPerList + 1, codes.Distinct().Count());
        Assert.Equal(20, codes.Count(c => c == "(other)"));
    }

    [Fact]
    public void The_shipped_lists_carry_their_versions_and_the_former_tables()
    {
        var shipped = CodeListSet.Shipped;

        Assert.All(shipped.Versions, v => Assert.False(string.IsNullOrWhiteSpace(v.Version)));
        Assert.Equal(CodeListNames.All.Count, shipped.Versions.Count());
        Assert.Equal("45G1", shipped.SizeTypes.Lookup(SizeTypeCode.Parse("40HC")).Canonical.ToString());
        Assert.Equal(SizeTypeCodeKind.Iso1984, shipped.SizeTypes.Lookup(SizeTypeCode.Parse("4510")).Kind);
        Assert.True(shipped.UnLocodes.Contains("NLRTM"));
        Assert.True(shipped.PackageTypes.Contains("CT"));
        Assert.True(shipped.ContainerCategories.Contains("U"));
        Assert.True(shipped.HsCodes.HasValidForm("6911100000"));
        Assert.False(shipped.HsCodes.HasValidForm("69111"));
        // The authority's defaults come from the shipped file: no second copy in code.
        Assert.Equal(GateDecision.Clear, new CustomsAuthorityOptions().StatusCodes["4"].Decision);
        Assert.Equal(shipped.StatusMaps[CustomsAuthorityOptions.DefaultName].Codes.Keys.Order(), new CustomsAuthorityOptions().StatusCodes.Keys.Order());
    }

    [Fact]
    public async Task An_override_file_replaces_a_mapping_and_extends_a_list()
    {
        var options = new CodeListOptions();
        options.Overrides.Add(OverrideFile("""
            { "list": "size-types", "version": "port 2026-12", "mode": "extend", "aliases": { "40HC": "42G1", "40SD": "42G1" } }
            """));
        options.Overrides.Add(OverrideFile("""
            { "list": "package-types", "version": "port 2026-12", "mode": "replace", "codes": { "QQ": "Port's own crate" } }
            """));
        var lists = new CodeListService(Options.Create(options));

        Assert.Equal("42G1", lists.Lists.SizeTypes.Lookup(SizeTypeCode.Parse("40HC")).Canonical.ToString());
        Assert.Equal("42G1", lists.Lists.SizeTypes.Lookup(SizeTypeCode.Parse("40SD")).Canonical.ToString());
        Assert.Equal("45G1", lists.Lists.SizeTypes.Lookup(SizeTypeCode.Parse("4510")).Canonical.ToString());
        Assert.Equal("port 2026-12", lists.Lists.SizeTypes.Version);
        Assert.Equal("QQ", Assert.Single(lists.Lists.PackageTypes.Codes.Keys));
        // The shipped list is untouched for everyone else.
        Assert.Equal("45G1", CodeListSet.Shipped.SizeTypes.Lookup(SizeTypeCode.Parse("40HC")).Canonical.ToString());

        var message = await TranslateWith(lists, "CUSCAR", With(Manifest, "GID+1+120:CT", "GID+1+120:QQ"));
        Assert.DoesNotContain(message.Diagnostics, d => d.Code == MappingErrorCodes.PackageTypeUnknown);
    }

    [Theory]
    [InlineData("""{ "list": "size-types", "version": "x", "mode": "extend", "aliases": { "40XX": "99Z9" } }""", "no ISO 6346 (1995) code")]
    [InlineData("""{ "list": "size-types", "version": "x", "mode": "merge" }""", "\"mode\" must be")]
    [InlineData("""{ "list": "sizes", "version": "x", "mode": "extend" }""", "known lists")]
    [InlineData("""{ "list": "un-locodes", "mode": "extend", "codes": {} }""", "no \"version\"")]
    [InlineData("""{ "list": "un-locodes", "version": "x", "mode": "extend", "codes": { "rotterdam": "R" } }""", "does not match the list's pattern")]
    [InlineData("""{ "list": "customs-status", "version": "x", "mode": "extend", "authorities": { "NL": { "4": { "decision": "MAYBE", "reason": "r" } } } }""", "expected CLEAR, HOLD or INSPECT")]
    [InlineData("""{ "list": "package-types", "version": "x", "mode": "extend", """, "not JSON")]
    public void A_bad_override_is_refused_at_start_naming_the_file(string json, string problem)
    {
        var options = new CodeListOptions();
        var path = OverrideFile(json);
        options.Overrides.Add(path);

        var result = new CodeListOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(path, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(problem, result.FailureMessage, StringComparison.Ordinal);
        Assert.Throws<CodeListException>(() => new CodeListService(Options.Create(options)));
    }

    [Fact]
    public void A_missing_override_file_is_refused_at_start()
    {
        var options = new CodeListOptions();
        options.Overrides.Add(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json"));

        Assert.True(new CodeListOptionsValidator().Validate(null, options).Failed);
    }
}
