using PortCustoms.Core.Model;

namespace PortCustoms.Core.Manifests;

/// <summary>
/// A vessel's cargo manifest as customs receives it (CUSCAR): the vessel and voyage, the ports, each consignment with
/// its bill of lading, parties and goods items, and the containers on board with size-type, seals and full/empty.
/// </summary>
public sealed record CargoManifest
{
    public required ManifestVessel Vessel { get; init; }

    public string? Voyage { get; init; }

    /// <summary>UN/LOCODE of the port of loading (LOC 9).</summary>
    public string? PortOfLoading { get; init; }

    /// <summary>UN/LOCODE of the port of discharge (LOC 11).</summary>
    public string? PortOfDischarge { get; init; }

    public IReadOnlyList<ManifestConsignment> Consignments { get; init; } = [];

    public IReadOnlyList<ManifestContainer> Containers { get; init; } = [];

    /// <summary>
    /// Containers the message named with a number that is not ISO 6346 (check digit or format), kept so that
    /// reconciliation reports them rather than losing them; null when there are none (so canonical JSON is unchanged).
    /// </summary>
    public IReadOnlyList<ManifestRejectedContainer>? RejectedContainers { get; init; }
}

/// <summary>A container entry whose number failed ISO 6346 validation: the text as sent and why.</summary>
public sealed record ManifestRejectedContainer
{
    public required string ContainerNumber { get; init; }

    public ContainerNumberError Error { get; init; }

    /// <summary>1-based segment index of the EQD in the interchange, or 0 when unknown.</summary>
    public int Segment { get; init; }
}

/// <summary>The vessel: IMO number (preferred) or call sign, and its name.</summary>
public sealed record ManifestVessel
{
    /// <summary><c>default</c> when the manifest names the vessel by call sign only.</summary>
    public ImoNumber Imo { get; init; }

    public string? CallSign { get; init; }

    public string? Name { get; init; }
}

/// <summary>One consignment (CNI): its bill of lading, parties and goods items.</summary>
public sealed record ManifestConsignment
{
    public required string BillOfLading { get; init; }

    public ManifestParty? Consignor { get; init; }

    public ManifestParty? Consignee { get; init; }

    public ManifestParty? NotifyParty { get; init; }

    public IReadOnlyList<ManifestGoodsItem> GoodsItems { get; init; } = [];
}

/// <summary>A party (NAD): its coded identification and/or its name.</summary>
public sealed record ManifestParty
{
    public string? Identifier { get; init; }

    public string? Name { get; init; }
}

/// <summary>One goods item (GID): HS code (CST), packages, gross mass (MEA), description (FTX) and the containers it is stowed in (SGP).</summary>
public sealed record ManifestGoodsItem
{
    public int? ItemNumber { get; init; }

    /// <summary>Harmonized System code (CST C246 with 1131 = 169).</summary>
    public string? HsCode { get; init; }

    public int? Packages { get; init; }

    /// <summary>Package type code (GID C213 7065, UN/ECE recommendation 21), e.g. <c>CT</c>.</summary>
    public string? PackageType { get; init; }

    public decimal? GrossMassKg { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<ContainerNumber> Containers { get; init; } = [];
}

/// <summary>Whether a container is full or empty (EQD 8169).</summary>
public enum FullEmpty : byte
{
    Unknown = 0,
    Full = 1,
    Empty = 2,
}

/// <summary>A container on the manifest (EQD): number, size-type, seals, full or empty.</summary>
public sealed record ManifestContainer
{
    public required ContainerNumber ContainerNumber { get; init; }

    /// <summary>The ISO 6346 (1995) code; <c>default</c> when not given.</summary>
    public SizeTypeCode SizeType { get; init; }

    public IReadOnlyList<string> SealNumbers { get; init; } = [];

    public FullEmpty FullEmpty { get; init; }

    /// <summary>The container's gross mass (MEA in the EQD group), when the manifest gives it; not the goods items' sum.</summary>
    public decimal? GrossMassKg { get; init; }
}
