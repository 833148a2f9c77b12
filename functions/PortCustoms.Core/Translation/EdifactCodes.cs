namespace PortCustoms.Core.Translation;

/// <summary>The UN/EDIFACT code values the mappings read and write (D95B code lists unless said otherwise).</summary>
internal static class EdifactCodes
{
    // 1001 Document/message name. D95B names 34 Gate In, 36 Gate Out, 44 Discharge, 46 Loading; D96B reassigned
    // those numbers (34 Cargo status, 36 Identity card, 44 Transport status report, 46 absent) but terminals keep
    // sending them in CODECO/COARRI of every directory (SMDG usage), and contracts/cli.md maps them: so do we.
    public const string GateIn = "34";
    public const string GateOut = "36";
    public const string Discharge = "44";
    public const string Loading = "46";

    // 1001 in D00B and later: the directory's own codes for the same reports, read as well.
    public const string InwardMovementReport = "109";
    public const string OutwardMovementReport = "111";
    public const string DischargeReport = "119";
    public const string LoadingReport = "122";

    public const string CustomsManifest = "85";
    public const string CustomsResponseGeneral = "962";

    // 1225 Message function.
    public const string Original = "9";
    public const string Cancellation = "1";

    // 8051 Transport stage: main carriage.
    public const string MainCarriage = "20";

    // 8067 Mode of transport: maritime.
    public const string Maritime = "1";

    // 1131 on C222: call sign directory (103) or means of transport identification (146, the IMO number).
    public const string CallSignDirectory = "103";
    public const string MeansOfTransportIdentification = "146";

    // 3055: Lloyd's register of shipping (IMO numbers), ISO (size-type codes), UN/ECE (UN/LOCODE).
    public const string LloydsRegister = "11";
    public const string Iso = "5";
    public const string UnEce = "6";

    // 1131: UN/LOCODE (139), size and type (102).
    public const string UnLocodeList = "139";
    public const string SizeAndTypeList = "102";

    // 8053 Equipment qualifier.
    public const string Container = "CN";

    // 8169 Full/empty.
    public const string Empty = "4";
    public const string Full = "5";

    // 3227 Place/location qualifier.
    public const string PlaceOfLoading = "9";
    public const string PlaceOfDischarge = "11";
    public const string PlaceOfDelivery = "7";
    public const string PlaceOfReceipt = "88";
    public const string StowageCell = "147";

    // 2005 Date/time qualifier.
    public const string Effective = "7";
    public const string ArrivalActual = "178";
    public const string DepartureActual = "186";
    public const string DocumentDate = "137";
    public const string IssueDate = "182";
    public const string ArrivalEstimated = "132";

    // 6311 / 6313 Measurement: weights, gross weight.
    public const string Weights = "WT";
    public const string Measurement = "AAE";
    public const string GrossWeight = "G";
    public const string UnitGrossWeight = "AAB";

    // 3035 Party qualifier.
    public const string Consignor = "CZ";
    public const string Consignee = "CN";
    public const string NotifyParty = "NI";
    public const string Carrier = "CA";

    // 1153 Reference qualifier.
    public const string BillOfLading = "BM";
    public const string CustomsDeclaration = "ABT";

    // 9303 Sealing party: carrier.
    public const string SealedByCarrier = "CA";

    // 6069 Control qualifier: total number of equipment (16).
    public const string TotalEquipment = "16";

    // 4451 Text subject qualifier: goods description (AAA).
    public const string GoodsDescription = "AAA";
}
