using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;
using static PortCustoms.Core.Tests.Translation.TranslationFixtures;

namespace PortCustoms.Core.Tests.Translation;

/// <summary>Each mapping diagnostic code, with its position (segment in the interchange, element, component); never an exception.</summary>
public sealed class MappingDiagnosticTests
{
    // UNB is segment 1 and UNH segment 2, so the n-th body segment is segment n + 2.
    private static async Task<(EdifactDiagnostic Diagnostic, TranslatedMessage Message)> SingleAsync(string code, string type, string directory, params string[] body)
    {
        var (document, messages) = await TranslateAsync(Interchange(type, directory, body));
        var message = Assert.Single(messages);
        var all = document.Validation.Diagnostics.Concat(message.Diagnostics).ToList();
        var found = all.Where(d => d.Code == code).ToList();
        Assert.True(found.Count == 1, $"Expected one {code}; found: {string.Join("; ", all.Select(d => $"{d.Code}@{d.Segment}/{d.Element}/{d.Component}"))}");
        return (found[0], message);
    }

    private static readonly string[] GateIn =
    [
        "BGM+34+E1+9", "TDT+20+124E+1+++++9811000:146:11", "NAD+MS+T", "EQD+CN+MSCU1234566+45G1:102:5", "DTM+7:202611260815?+01:303", "CNT+16:1",
    ];

    private static string[] With(string[] body, int index, string segment)
    {
        var copy = body.ToArray();
        copy[index] = segment;
        return copy;
    }

    [Theory]
    [InlineData("KGM:18000")]
    [InlineData("KGM:18000.50")]
    [InlineData("KGM:18000,50")]
    [InlineData("KGM:0")]
    [InlineData("KGM:0.000")]
    [InlineData("KGM:007")]
    [InlineData("KGM:79228162514264337593543950335")]
    [InlineData("TNE:23.15")]
    [InlineData("TNE:23")]
    [InlineData("TNE:0.001")]
    public async Task Gross_mass_is_the_value_without_trailing_zeros_as_the_division_gave_it(string value)
    {
        var (_, messages) = await TranslateAsync(Interchange("CODECO", "D95B", [.. GateIn.Take(5), $"MEA+AAE+G+{value}", .. GateIn.Skip(5)]));

        var parts = value.Split(':');
        var sent = decimal.Parse(parts[1].Replace(',', '.'), System.Globalization.CultureInfo.InvariantCulture) * (parts[0] == "TNE" ? 1000m : 1m);
        var expected = sent / 1.0000000000000000000000000000m;
        var mass = Assert.Single(Assert.Single(messages).Events!).GrossMassKg!.Value;
        Assert.Equal((expected, expected.Scale, expected.ToString(System.Globalization.CultureInfo.InvariantCulture)), (mass, mass.Scale, mass.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Container_check_digit_wrong_is_reported_at_EQD_C237()
    {
        var (d, m) = await SingleAsync(MappingErrorCodes.ContainerCheckDigit, "CODECO", "D95B", With(GateIn, 3, "EQD+CN+MSCU1234567+45G1:102:5"));
        Assert.Equal((EdifactSeverity.Error, 6, 2, 1), (d.Severity, d.Segment, d.Element, d.Component));
        Assert.Empty(m.Events!);
    }

    [Fact]
    public async Task Container_number_malformed_is_reported()
    {
        var (d, _) = await SingleAsync(MappingErrorCodes.ContainerNumberInvalid, "CODECO", "D95B", With(GateIn, 3, "EQD+CN+MSC1234566+45G1:102:5"));
        Assert.Equal((6, 2, 1), (d.Segment, d.Element, d.Component));
    }

    [Fact]
    public async Task Container_missing_in_EQD_is_reported()
    {
        var (d, _) = await SingleAsync(MappingErrorCodes.ContainerMissing, "CODECO", "D95B", With(GateIn, 3, "EQD+CN++45G1:102:5"));
        Assert.Equal((6, 2), (d.Segment, d.Element));
    }

    [Fact]
    public async Task Equipment_other_than_a_container_is_reported_not_dropped_silently()
    {
        var (d, m) = await SingleAsync(MappingErrorCodes.EquipmentNotContainer, "CODECO", "D95B", With(GateIn, 3, "EQD+CH+CHASSIS1"));
        Assert.Equal((EdifactSeverity.Warning, 6, 1), (d.Severity, d.Segment, d.Element));
        Assert.Empty(m.Events!);
    }

    [Fact]
    public async Task Imo_with_wrong_check_digit_is_reported_at_TDT_C222()
    {
        var (d, _) = await SingleAsync(MappingErrorCodes.ImoInvalid, "CODECO", "D95B", With(GateIn, 1, "TDT+20+124E+1+++++9811001:146:11"));
        Assert.Equal((4, 8, 1), (d.Segment, d.Element, d.Component));
    }

    [Fact]
    public async Task Call_sign_is_not_checked_as_an_IMO_number()
    {
        var (_, messages) = await TranslateAsync(Interchange("CODECO", "D95B", With(GateIn, 1, "TDT+20+124E+1+++++9HA2001:103::MSC EXAMPLE")));
        var e = Assert.Single(Assert.Single(messages).Events!);
        Assert.True(e.VesselImo.IsEmpty);
    }

    [Fact]
    public async Task Size_type_not_even_a_code_is_an_error_at_EQD_C224()
    {
        var (d, _) = await SingleAsync(MappingErrorCodes.SizeTypeInvalid, "CODECO", "D95B", With(GateIn, 3, "EQD+CN+MSCU1234566+45g1:102:5"));
        Assert.Equal((EdifactSeverity.Error, 6, 3, 1), (d.Severity, d.Segment, d.Element, d.Component));
    }

    [Fact]
    public async Task Unknown_size_type_is_kept_and_reported_as_a_warning()
    {
        var (d, m) = await SingleAsync(MappingErrorCodes.SizeTypeUnknown, "CODECO", "D95B", With(GateIn, 3, "EQD+CN+MSCU1234566+99X9:102:5"));
        Assert.Equal((EdifactSeverity.Warning, 6, 3, 1), (d.Severity, d.Segment, d.Element, d.Component));
        Assert.Equal("99X9", Assert.Single(m.Events!).SizeType.ToString());
    }

    [Theory]
    [InlineData("2210", "22G1")]
    [InlineData("4510", "45G1")]
    [InlineData("20GP", "22G1")]
    [InlineData("40HC", "45G1")]
    [InlineData("22G1", "22G1")]
    public async Task Size_types_are_normalised_to_ISO_6346_1995(string sent, string canonical)
    {
        var (_, messages) = await TranslateAsync(Interchange("CODECO", "D95B", With(GateIn, 3, $"EQD+CN+MSCU1234566+{sent}:102:5")));
        Assert.Equal(canonical, Assert.Single(Assert.Single(messages).Events!).SizeType.ToString());
    }

    [Fact]
    public async Task Unknown_document_code_is_reported_at_BGM_1001()
    {
        var (d, m) = await SingleAsync(MappingErrorCodes.EventTypeUnknown, "CODECO", "D95B", With(GateIn, 0, "BGM+99+E1+9"));
        Assert.Equal((3, 1, 1), (d.Segment, d.Element, d.Component));
        Assert.Empty(m.Events!);
    }

    [Fact]
    public async Task Cancellation_is_reported_at_BGM_1225_and_gives_no_event()
    {
        var (d, m) = await SingleAsync(MappingErrorCodes.CancellationNotMapped, "CODECO", "D95B", With(GateIn, 0, "BGM+36+E1+1"));
        Assert.Equal((3, 3, null), (d.Segment, d.Element, d.Component));
        Assert.Empty(m.Events!);
    }

    [Fact]
    public async Task Date_that_does_not_match_its_format_is_reported_at_DTM_C507()
    {
        var (d, _) = await SingleAsync(MappingErrorCodes.DateInvalid, "CODECO", "D95B", With(GateIn, 4, "DTM+7:20261326081?+01:303"));
        Assert.Equal((7, 1, 2), (d.Segment, d.Element, d.Component));
    }

    [Fact]
    public async Task Missing_event_time_is_reported_at_EQD()
    {
        var (d, _) = await SingleAsync(MappingErrorCodes.DateMissing, "CODECO", "D95B", GateIn.Where(s => !s.StartsWith("DTM", StringComparison.Ordinal)).ToArray());
        Assert.Equal((6, null), (d.Segment, d.Element));
    }

    [Fact]
    public async Task Time_without_zone_is_read_as_UTC_and_reported()
    {
        var (d, m) = await SingleAsync(MappingErrorCodes.DateWithoutOffset, "CODECO", "D95B", With(GateIn, 4, "DTM+7:202611260815:203"));
        Assert.Equal(EdifactSeverity.Warning, d.Severity);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 8, 15, 0, TimeSpan.Zero), Assert.Single(m.Events!).OccurredAt);
    }

    [Theory]
    [InlineData("MEA+AAE+G+KGM:12,x", 3, 2)]
    [InlineData("MEA+AAE+G+LBR:1200", 3, 1)]
    public async Task Gross_mass_not_a_number_or_not_a_mass_unit_is_reported(string mea, int element, int component)
    {
        var body = GateIn.Take(5).Append(mea).Append("CNT+16:1").ToArray();
        var (d, _) = await SingleAsync(MappingErrorCodes.MassInvalid, "CODECO", "D95B", body);
        Assert.Equal((8, element, component), (d.Segment, d.Element, d.Component));
    }

    [Theory]
    [InlineData("MEA+AAE+G+TNE:99999999999999999999999999")]
    [InlineData("MEA+AAE+G+TNE:79228162514264337593543951")]
    public async Task Tonnage_too_large_to_convert_is_a_mass_finding_not_an_overflow(string mea)
    {
        var body = GateIn.Take(5).Append(mea).Append("CNT+16:1").ToArray();
        var (d, m) = await SingleAsync(MappingErrorCodes.MassInvalid, "CODECO", "D95B", body);
        Assert.Equal((EdifactSeverity.Error, 8, 3, 2), (d.Severity, d.Segment, d.Element, d.Component));
        Assert.Empty(m.Events!);
    }

    [Fact]
    public async Task Segment_without_a_tag_inside_a_message_is_a_structure_finding_not_an_exception()
    {
        var (document, messages) = await TranslateAsync(Interchange("CODECO", "D95B", [.. GateIn.Take(3), "", .. GateIn.Skip(3)]));

        var message = Assert.Single(messages);
        Assert.Contains(document.Validation.Diagnostics, d => d.Code == EdifactErrorCodes.InvalidSegmentTag && d.Segment == 6);
        Assert.Contains(message.Diagnostics, d => d.Code == "EDI-STR-UNEXPECTED-SEGMENT" && d.Segment == 6);
    }

    [Fact]
    public async Task Cusres_without_GIS_is_reported_and_gives_no_notification()
    {
        var (d, m) = await SingleAsync(MappingErrorCodes.CustomsStatusMissing, "CUSRES", "D95B",
            "BGM+962+REF1+9", "DTM+182:202611260710?+00:303", "EQD+CN+MSCU1234566", "RFF+ABT:REF1");
        Assert.Equal((3, null), (d.Segment, d.Element));
        Assert.Empty(m.Notifications!);
    }

    [Fact]
    public async Task Cusres_code_the_authority_does_not_map_is_HOLD_with_a_warning()
    {
        var (d, m) = await SingleAsync(MappingErrorCodes.CustomsStatusUnmapped, "CUSRES", "D95B",
            "BGM+962+REF1+9", "DTM+182:202611260710?+00:303", "GIS+25", "EQD+CN+MSCU1234566", "RFF+ABT:REF1");
        Assert.Equal((EdifactSeverity.Warning, 5, 1, 1), (d.Severity, d.Segment, d.Element, d.Component));
        Assert.Equal(CustomsStatus.Hold, Assert.Single(m.Notifications!).Status);
    }

    [Fact]
    public async Task Cusres_status_follows_the_configured_authority_map()
    {
        var authority = new CustomsAuthorityOptions();
        authority.StatusCodes["25"] = new CustomsStatusCodeRule { Decision = GateDecision.Inspect, Reason = "Prohibited or restricted goods" };
        var document = await EdifactDocument.ReadAsync(System.Text.Encoding.Latin1.GetBytes(Interchange("CUSRES", "D95B",
            "BGM+962+REF1+9", "DTM+182:202611260710?+00:303", "GIS+25", "EQD+CN+MSCU1234566", "RFF+ABT:REF1")));
        var message = new EdifactTranslator(authority).Translate(Assert.Single(document.Messages));
        Assert.Equal(CustomsStatus.InspectionRequired, Assert.Single(message.Notifications!).Status);
    }

    [Fact]
    public async Task Cusres_release_and_detention_together_is_the_more_restrictive_HOLD()
    {
        var (_, messages) = await TranslateAsync(Interchange("CUSRES", "D95B",
            "BGM+962+REF1+9", "DTM+182:202611260710?+00:303", "GIS+4", "GIS+7", "EQD+CN+MSCU1234566", "RFF+ABT:REF1"));
        Assert.Equal(CustomsStatus.Hold, Assert.Single(Assert.Single(messages).Notifications!).Status);
    }

    [Fact]
    public async Task Cusres_issue_time_beyond_the_clock_skew_is_refused_at_DTM()
    {
        var document = await EdifactDocument.ReadAsync(System.Text.Encoding.Latin1.GetBytes(Interchange("CUSRES", "D95B",
            "BGM+962+REF1+9", "DTM+182:202611261200?+00:303", "GIS+4", "EQD+CN+MSCU1234566", "RFF+ABT:REF1")));
        var translator = new EdifactTranslator(time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(ReceivedAt)) { MaxIssuedAtSkew = TimeSpan.FromMinutes(5) };

        var message = translator.Translate(Assert.Single(document.Messages));

        var d = Assert.Single(message.Diagnostics, d => d.Code == MappingErrorCodes.DateInFuture);
        Assert.Equal((4, 1, 2), (d.Segment, d.Element, d.Component));
        Assert.Empty(message.Notifications!);
    }

    [Fact]
    public async Task Cusres_ERP_ERC_errors_are_reported_at_ERC()
    {
        var (d, m) = await SingleAsync(MappingErrorCodes.CustomsError, "CUSRES", "D95B",
            "BGM+962+REF1+9", "DTM+182:202611260710?+00:303", "GIS+4", "EQD+CN+MSCU1234566", "ERP+1:3", "ERC+E42", "RFF+ABT:REF1");
        Assert.Equal((8, 1, 1), (d.Segment, d.Element, d.Component));
        Assert.Equal("E42", Assert.Single(m.CustomsErrors!).Code);
    }

    [Fact]
    public async Task Cusres_without_container_is_reported()
    {
        var (d, _) = await SingleAsync(MappingErrorCodes.ContainerMissing, "CUSRES", "D95B",
            "BGM+962+REF1+9", "DTM+182:202611260710?+00:303", "GIS+4", "RFF+ABT:REF1");
        Assert.Equal(3, d.Segment);
    }

    [Fact]
    public async Task Manifest_without_vessel_is_reported()
    {
        var (d, m) = await SingleAsync(MappingErrorCodes.FieldMissing, "CUSCAR", "D95B", "BGM+85+124E+9", "EQD+CN+MSCU1234566+45G1:102:5");
        Assert.Equal(3, d.Segment);
        Assert.Null(m.Manifest);
    }

    [Fact]
    public async Task Goods_item_stowed_in_a_container_with_a_wrong_check_digit_is_reported_at_SGP()
    {
        var (d, _) = await SingleAsync(MappingErrorCodes.ContainerCheckDigit, "CUSCAR", "D95B",
            "BGM+85+124E+9", "TDT+20+124E+1+++++9811000:146:11", "CNI+1+BL1", "RFF+BM:BL1", "GID+1+1:CT", "SGP+MSCU1234560");
        Assert.Equal((8, 1, 1), (d.Segment, d.Element, d.Component));
    }

    [Fact]
    public async Task Message_type_without_a_mapping_is_reported_at_UNH_S009()
    {
        var (_, messages) = await TranslateAsync("UNA:+.? 'UNB+UNOC:3+S+R+261126:0800+IC1'UNH+1+CONTRL:D:3:UN'UCI+IC0+S+R+7'UNT+3+1'UNZ+1+IC1'");
        var d = Assert.Single(Assert.Single(messages).Diagnostics, d => d.Code == MappingErrorCodes.UnsupportedMessage);
        Assert.Equal((2, 2, 1), (d.Segment, d.Element, d.Component));
    }

    [Fact]
    public async Task Structure_error_is_positioned_and_the_message_is_not_valid()
    {
        // COARRI D95B requires the vessel group (SG1 TDT) and the party group (SG2 NAD).
        var (_, messages) = await TranslateAsync(Interchange("COARRI", "D95B",
            "BGM+44+E1+9", "EQD+CN+MSCU1234566+45G1:102:5", "DTM+7:202611260815?+01:303", "CNT+16:1"));
        var message = Assert.Single(messages);
        Assert.True(message.HasErrors);
        Assert.Contains(message.Diagnostics, d => d.Code == "EDI-STR-MISSING-SEGMENT" && d.Segment == 4);
    }

    [Fact]
    public void Event_type_without_an_EDIFACT_equivalent_is_reported_when_writing()
    {
        var e = new ContainerStatusEvent("E1", PortCustoms.Core.Model.ContainerNumber.Parse("MSCU1234566"), ContainerEventType.Stripped, DateTimeOffset.UnixEpoch);
        var composition = new EdifactComposer().Compose([e], [], [], new EdifactInterchangeOptions { PreparedAt = DateTimeOffset.UnixEpoch });
        Assert.Equal(MappingErrorCodes.EventTypeNotMappable, Assert.Single(composition.Diagnostics).Code);
        Assert.Equal(0, composition.MessageCount);
    }

    [Fact]
    public void Value_outside_the_character_set_is_reported_and_that_item_not_written()
    {
        var ok = new ContainerStatusEvent("E1", PortCustoms.Core.Model.ContainerNumber.Parse("MSCU1234566"), ContainerEventType.GatedIn, DateTimeOffset.UnixEpoch) { Voyage = "Ärö-1" };
        var bad = new ContainerStatusEvent("E2", PortCustoms.Core.Model.ContainerNumber.Parse("MSCU1234566"), ContainerEventType.GatedIn, DateTimeOffset.UnixEpoch) { Voyage = "航次-1" };

        var composition = new EdifactComposer().Compose([ok, bad], [], [], new EdifactInterchangeOptions { PreparedAt = DateTimeOffset.UnixEpoch });

        Assert.Equal(MappingErrorCodes.CharacterSet, Assert.Single(composition.Diagnostics).Code);
        Assert.Equal(1, composition.MessageCount);
    }

    [Fact]
    public async Task Garbage_is_diagnostics_never_an_exception()
    {
        var (document, messages) = await TranslateAsync("UNB+UNOC:3+S+R+261126:0800+IC1'UNH+1+CODECO:D:95B:UN'BGM+34+??+9'EQD+CN+'UNT+9+1'");
        Assert.False(document.Validation.IsValid);
        Assert.All(messages, m => Assert.NotNull(m.Diagnostics));
    }
}
