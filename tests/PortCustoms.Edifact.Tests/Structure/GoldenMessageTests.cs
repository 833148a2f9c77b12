using PortCustoms.Edifact.Structure;

namespace PortCustoms.Edifact.Tests.Structure;

/// <summary>Valid messages resolve without findings: a minimal instance of every table, and realistic port messages.</summary>
public sealed class GoldenMessageTests
{
    private static readonly StructureValidator Validator = new();

    public static TheoryData<string> AllKeys => [.. MessageStructureCatalog.Default.Keys.Select(k => k.ToString())];

    [Theory]
    [MemberData(nameof(AllKeys))]
    public void The_minimal_instance_of_every_table_validates_clean(string key)
    {
        MessageStructure structure = Structure(key);
        List<GeneratedSegment> generated = InstanceGenerator.MinimalSegments(structure);
        List<StructureSegment> message = InstanceGenerator.ToMessage(structure, generated);

        StructureValidationResult result = Validator.Validate(message, syntaxVersion: structure.Key.Version == "4" ? 4 : 3);

        Assert.Empty(result.Findings);
        Assert.Equal(generated.Select(s => s.Path), result.Placements.Select(p => p.ToString()));
        Assert.Same(structure, result.Structure);
    }

    [Fact]
    public void A_CUSCAR_cargo_report_D95B_resolves_clean()
    {
        AssertClean("""
            UNH+ME000001+CUSCAR:D:95B:UN'
            BGM+85+CR2020112601+9'
            DTM+137:202011261030:203'
            RFF+ACW:PREV01'
            NAD+CA+MAEU:172:20'
            TDT+20+245W+1++MAEU:172:20+++9321483:146:11:MAERSK HONAM'
            LOC+5+NLRTM:139:6'
            LOC+61+SGSIN:139:6'
            DTM+132:202011281200:203'
            EQD+CN+MSKU1234565+45G1:102:5++3+5'
            MEA+AAE+G+KGM:24500'
            SEL+AB123456+CA'
            EQD+CN+TCLU7654321+22R1:102:5++3+5'
            TMP+2+005:CEL'
            RNG+5+CEL:2:8'
            CNT+16:2'
            CNI+1+BL0001'
            RFF+BM:MAEU123456789'
            TDT+20+245W+1'
            LOC+9+SGSIN:139:6'
            NAD+CZ+SHIPPER01:160:ZZZ'
            NAD+CN+CONSIGNEE01:160:ZZZ'
            CTA+IC+:J. SMITH'
            COM+0031101234567:TE'
            GID+1+800:PK'
            FTX+AAA+++ELECTRONIC GOODS'
            MEA+AAE+G+KGM:12000'
            SGP+MSKU1234565+400'
            CNI+2+BL0002'
            RFF+BM:MAEU987654321'
            GID+1+10:PX'
            DGS+IMD+3+1263'
            UNT+33+ME000001'
            """);
    }

    [Fact]
    public void A_CUSRES_release_response_D96B_resolves_clean()
    {
        AssertClean("""
            UNH+CR01+CUSRES:D:96B:UN'
            BGM+962+RESP2020112601+9'
            DTM+137:202011261045:203'
            TDT+20+245W+1'
            LOC+5+NLRTM:139:6'
            GIS+1:109:6'
            EQD+CN+MSKU1234565'
            NAD+MS+CUSTOMSNL:160:ZZZ'
            CTA+IC+:DESK 4'
            COM+0031101111111:TE'
            RFF+ABT:MRN20NL0001'
            DTM+182:20201126:102'
            ERP+1:1'
            ERC+12:1:ZZZ'
            FTX+AAO+++CONTAINER RELEASED'
            DOC+380+INV001'
            MOA+39:1500'
            AUT+AUTH001'
            UNT+19+CR01'
            """);
    }

    [Fact]
    public void A_CODECO_gate_in_report_D95B_resolves_clean()
    {
        AssertClean("""
            UNH+GI0001+CODECO:D:95B:UN'
            BGM+34+GI2020112601+9'
            TDT+1++3'
            LOC+165+NLRTM:139:6'
            DTM+132:202011261030:203'
            NAD+MS+TERMINAL1:160:ZZZ'
            NAD+CF+MAEU:160:20'
            EQD+CN+MSKU1234565+45G1:102:5++2+5'
            RFF+BN:BK12345'
            DTM+7:202011261012:203'
            LOC+165+NLRTM:139:6'
            MEA+AAE+G+KGM:24500'
            SEL+AB123456+CA'
            DAM+1'
            TDT+1++3'
            EQD+CN+TCLU7654321+22G1:102:5++2+4'
            DTM+7:202011261020:203'
            CNT+16:2'
            UNT+19+GI0001'
            """);
    }

    [Fact]
    public void A_COARRI_discharge_report_D00B_resolves_clean()
    {
        AssertClean("""
            UNH+DR0001+COARRI:D:00B:UN'
            BGM+119+DIS2020112601+9'
            DTM+137:202011261100:203'
            RFF+VON:245W'
            TDT+20+245W+1++MAEU:172:20+++9321483:146:11:MAERSK HONAM'
            RFF+VM:9321483'
            LOC+9+NLRTM:139:6'
            DTM+178:202011260600:203'
            NAD+CF+MAEU:160:20'
            EQD+CN+MSKU1234565+45G1:102:5++3+5'
            RFF+BM:MAEU123456789'
            DTM+203:202011260815:203'
            LOC+147+0340282::5'
            MEA+AAE+G+KGM:24500'
            TMP+2+005:CEL'
            SEL+AB123456+CA'
            EQD+CN+TCLU7654321+22G1:102:5++3+5'
            DTM+203:202011260820:203'
            LOC+147+0360184::5'
            DAM+1+DNT'
            CNT+16:2'
            UNT+22+DR0001'
            """);
    }

    private static MessageStructure Structure(string key)
    {
        string[] parts = key.Split(':');
        Assert.True(MessageStructureCatalog.Default.TryGetStructure(new MessageKey(parts[0], parts[1], parts[2]), out MessageStructure? structure));
        return structure;
    }

    private static void AssertClean(string text)
    {
        StructureValidationResult result = Validator.Validate(Edi.Message(text));

        Assert.Empty(result.Findings.Select(f => $"{f.Code} at {f.SegmentPosition} {f.SegmentTag} {f.Element}:{f.Component} {f.GroupPath}"));
        Assert.All(result.Placements, p => Assert.True(p.IsResolved));
    }
}
