using System.Globalization;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.CodeLists;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Translation;

/// <summary>
/// CUSCAR to and from <see cref="CargoManifest"/>. The vessel is the message-level TDT group (IMO or call sign in
/// C222, name in 8212, voyage in 8028, ports in its LOC 9/11); the containers are the message-level EQD groups
/// (C224 size-type, 8169 full/empty, SEL); each CNI group is a consignment: its bill of lading (RFF BM, else CNI
/// C503), its parties (NAD CZ/CN/NI) and goods items (GID: packages, MEA gross mass, FTX description, SGP containers,
/// and the HS code in CST C246, where the CUSCAR directories place the customs commodity code).
/// </summary>
public static class CargoManifestMapping
{
    private const int NameComponentLength = 35;
    private const int TextComponentLength = 70;

    internal static CargoManifest? Read(MappingContext context)
    {
        var bgm = context.First(context.Root, "BGM");
        if (bgm is null)
        {
            return null;
        }
        var transport = context.Root.GroupsOf("TDT").FirstOrDefault();
        if (transport is null)
        {
            context.Error(MappingErrorCodes.FieldMissing, "The manifest names no vessel (message-level TDT).", bgm);
            return null;
        }
        var tdt = context.TriggerOf(transport);
        var (imo, callSign, name) = context.Vessel(tdt);
        if (imo.IsEmpty && callSign is null && context.ErrorCount == 0)
        {
            context.Error(MappingErrorCodes.FieldMissing, "The vessel has neither IMO number nor call sign (TDT C222 8213).", tdt, 8, 1);
        }
        string? portOfLoading = null;
        string? portOfDischarge = null;
        foreach (var loc in context.SegmentsDeep(transport, "LOC"))
        {
            var value = MappingContext.NullIfEmpty(loc.GetValue(2, 1));
            context.CheckLocode(loc);
            switch (loc.GetValue(1))
            {
                case EdifactCodes.PlaceOfLoading:
                    portOfLoading ??= value;
                    break;
                case EdifactCodes.PlaceOfDischarge:
                    portOfDischarge ??= value;
                    break;
            }
        }

        var containers = Containers(context, sealsInNestedGroups: true, out var rejected);

        var consignments = new List<ManifestConsignment>();
        foreach (var consignment in context.Root.GroupsOf("CNI"))
        {
            var cni = context.TriggerOf(consignment);
            string? billOfLading = null;
            foreach (var group in consignment.DescendantGroupsOf("RFF"))
            {
                var rff = context.TriggerOf(group);
                if (rff.GetValue(1, 1) == EdifactCodes.BillOfLading)
                {
                    billOfLading = MappingContext.NullIfEmpty(rff.GetValue(1, 2));
                    break;
                }
            }
            billOfLading ??= MappingContext.NullIfEmpty(cni.GetValue(2, 1));
            if (billOfLading is null)
            {
                context.Error(MappingErrorCodes.FieldMissing, "The consignment has no bill of lading (RFF BM or CNI C503).", cni);
                continue;
            }
            var (consignor, consignee, notify) = Parties(context, consignment.DescendantGroupsOf("NAD"));
            var goods = new List<ManifestGoodsItem>();
            foreach (var item in consignment.DescendantGroupsOf("GID"))
            {
                goods.Add(GoodsItem(context, item));
            }
            consignments.Add(new ManifestConsignment
            {
                BillOfLading = billOfLading,
                Consignor = consignor,
                Consignee = consignee,
                NotifyParty = notify,
                GoodsItems = goods,
            });
        }

        return new CargoManifest
        {
            Vessel = new ManifestVessel { Imo = imo, CallSign = callSign, Name = name },
            Voyage = MappingContext.NullIfEmpty(tdt.GetValue(2)),
            PortOfLoading = portOfLoading,
            PortOfDischarge = portOfDischarge,
            Consignments = consignments,
            Containers = containers,
            RejectedContainers = rejected,
        };
    }

    /// <summary>
    /// The containers of the message's equipment groups (EQD with CN), with size-type, seals and full/empty; other
    /// equipment is reported, never silently dropped. CUSCAR nests SEL below EQD; the transport instructions do not.
    /// </summary>
    internal static List<ManifestContainer> Containers(MappingContext context, bool sealsInNestedGroups, out List<ManifestRejectedContainer>? rejected)
    {
        var containers = new List<ManifestContainer>();
        rejected = null;
        foreach (var equipment in context.Root.GroupsOf("EQD"))
        {
            var eqd = context.TriggerOf(equipment);
            if (eqd.GetValue(1) != EdifactCodes.Container)
            {
                context.Warning(MappingErrorCodes.EquipmentNotContainer, $"EQD equipment '{eqd.GetValue(1)}' is not a container (CN); not mapped.", eqd, 1);
                continue;
            }
            var container = context.Container(eqd, 2, 1);
            var sizeType = context.SizeType(eqd);
            if (container.IsEmpty)
            {
                // Reported as a mapping error already; kept too, so reconciliation can name it as a discrepancy.
                var text = eqd.GetValue(2, 1);
                if (text.Length > 0)
                {
                    (rejected ??= []).Add(new ManifestRejectedContainer { ContainerNumber = text, Error = ContainerNumber.Validate(text), Segment = eqd.Position.Segment });
                }
                continue;
            }
            decimal? grossMass = null;
            var mea = context.SegmentsDeep(equipment, "MEA", "TDT").FirstOrDefault(StatusEventMapping.IsGrossMass);
            if (mea is not null)
            {
                grossMass = context.MassKg(mea);
            }
            containers.Add(new ManifestContainer
            {
                GrossMassKg = grossMass,
                ContainerNumber = container,
                SizeType = sizeType,
                SealNumbers = [.. (sealsInNestedGroups ? context.SegmentsDeep(equipment, "SEL") : context.Segments(equipment, "SEL")).Select(s => s.GetValue(1)).Where(s => s.Length > 0)],
                FullEmpty = eqd.GetValue(6) switch
                {
                    EdifactCodes.Full => FullEmpty.Full,
                    EdifactCodes.Empty => FullEmpty.Empty,
                    _ => FullEmpty.Unknown,
                },
            });
        }
        return containers;
    }

    /// <summary>The first consignor, consignee and notify party among NAD groups (CUSCAR, IFTMCS, IFTMAN alike).</summary>
    internal static (ManifestParty? Consignor, ManifestParty? Consignee, ManifestParty? Notify) Parties(MappingContext context, IEnumerable<GroupInstance> nadGroups)
    {
        ManifestParty? consignor = null, consignee = null, notify = null;
        foreach (var group in nadGroups)
        {
            var nad = context.TriggerOf(group);
            var party = Party(nad);
            switch (nad.GetValue(1))
            {
                case EdifactCodes.Consignor:
                    consignor ??= party;
                    break;
                case EdifactCodes.Consignee:
                    consignee ??= party;
                    break;
                case EdifactCodes.NotifyParty:
                    notify ??= party;
                    break;
            }
        }
        return (consignor, consignee, notify);
    }

    internal static ManifestParty Party(EdifactSegment nad)
    {
        var name = string.Concat(nad.GetElement(4)?.Components.Take(5) ?? []);
        return new ManifestParty
        {
            Identifier = MappingContext.NullIfEmpty(nad.GetValue(2, 1)),
            Name = name.Length == 0 ? null : name,
        };
    }

    private static ManifestGoodsItem GoodsItem(MappingContext context, GroupInstance item)
    {
        var gid = context.TriggerOf(item);
        int? number = int.TryParse(gid.GetValue(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        int? packages = int.TryParse(gid.GetValue(2, 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
        decimal? mass = null;
        var mea = context.Segments(item, "MEA").FirstOrDefault(StatusEventMapping.IsGrossMass);
        if (mea is not null)
        {
            mass = context.MassKg(mea);
        }
        var description = string.Concat(context.Segments(item, "FTX")
            .Where(f => f.GetValue(1) == EdifactCodes.GoodsDescription)
            .SelectMany(f => f.GetElement(4)?.Components ?? []));
        var stowedIn = new List<ContainerNumber>();
        foreach (var sgp in context.Segments(item, "SGP"))
        {
            var container = context.Container(sgp, 1, 1);
            if (!container.IsEmpty && !stowedIn.Contains(container))
            {
                stowedIn.Add(container);
            }
        }
        var packageType = MappingContext.NullIfEmpty(gid.GetValue(2, 2));
        if (packageType is not null && !context.CodeLists.Lists.PackageTypes.Contains(packageType))
        {
            context.Unmapped(CodeListNames.PackageTypes, packageType, MappingErrorCodes.PackageTypeUnknown,
                $"Package type '{packageType}' is not in UN/ECE Recommendation 21 as listed here ({context.CodeLists.Lists.PackageTypes.Version})", gid, 2, 2);
        }
        var cst = context.Segments(item, "CST").FirstOrDefault();
        var hsCode = HsCode(cst);
        if (hsCode is not null && !context.CodeLists.Lists.HsCodes.HasValidForm(hsCode))
        {
            context.Unmapped(CodeListNames.HsCodes, hsCode, MappingErrorCodes.HsCodeInvalid,
                $"HS code '{hsCode}' is not of the form {context.CodeLists.Lists.HsCodes.Version} expects (6, 8 or 10 digits)", cst!, 2, 1);
        }
        return new ManifestGoodsItem
        {
            ItemNumber = number,
            HsCode = hsCode,
            Packages = packages,
            PackageType = packageType,
            GrossMassKg = mass,
            Description = description.Length == 0 ? null : description,
            Containers = stowedIn,
        };
    }

    private static string? HsCode(EdifactSegment? cst)
    {
        if (cst is null)
        {
            return null;
        }
        string? first = null;
        for (var element = 2; element <= 6; element++)
        {
            var code = cst.GetValue(element, 1);
            if (code.Length == 0)
            {
                continue;
            }
            if (cst.GetValue(element, 2) == HarmonizedSystem)
            {
                return code;
            }
            first ??= code;
        }
        return first;
    }

    // 1131: Harmonized system; 3055 1: CCC (the WCO).
    private const string HarmonizedSystem = "169";
    private const string CustomsCooperationCouncil = "1";

    /// <summary>Writes one CUSCAR; false (with diagnostics) when the manifest lacks what CUSCAR requires.</summary>
    internal static bool Write(EdifactWriter writer, CargoManifest manifest, string reference, EdifactDirectory directory, List<EdifactDiagnostic> diagnostics)
    {
        if (manifest.Vessel.Imo.IsEmpty && string.IsNullOrEmpty(manifest.Vessel.CallSign))
        {
            diagnostics.Add(new EdifactDiagnostic(MappingErrorCodes.FieldMissing, EdifactSeverity.Error, "The manifest's vessel has neither IMO number nor call sign.", default));
            return false;
        }
        writer.Write("UNH", [reference], ["CUSCAR", directory.Version, directory.Release, "UN"]);
        writer.Write("BGM", [EdifactCodes.CustomsManifest], [manifest.Voyage ?? reference], [EdifactCodes.Original]);
        string?[] vessel = manifest.Vessel.Imo.IsEmpty
            ? [manifest.Vessel.CallSign, EdifactCodes.CallSignDirectory, null, manifest.Vessel.Name]
            : [manifest.Vessel.Imo.ToString(), EdifactCodes.MeansOfTransportIdentification, EdifactCodes.LloydsRegister, manifest.Vessel.Name];
        writer.Write("TDT", [EdifactCodes.MainCarriage], [manifest.Voyage], [EdifactCodes.Maritime], [], [], [], [], vessel);
        if (manifest.PortOfLoading is { Length: > 0 } loading)
        {
            writer.Write("LOC", [EdifactCodes.PlaceOfLoading], [loading, EdifactCodes.UnLocodeList, EdifactCodes.UnEce]);
        }
        if (manifest.PortOfDischarge is { Length: > 0 } discharge)
        {
            writer.Write("LOC", [EdifactCodes.PlaceOfDischarge], [discharge, EdifactCodes.UnLocodeList, EdifactCodes.UnEce]);
        }
        foreach (var container in manifest.Containers)
        {
            var fullEmpty = container.FullEmpty switch
            {
                FullEmpty.Full => EdifactCodes.Full,
                FullEmpty.Empty => EdifactCodes.Empty,
                _ => null,
            };
            writer.Write("EQD", [EdifactCodes.Container], [container.ContainerNumber.ToString()],
                container.SizeType.IsEmpty ? [] : [container.SizeType.ToString(), EdifactCodes.SizeAndTypeList, EdifactCodes.Iso], [], [], [fullEmpty]);
            if (container.GrossMassKg is { } containerMass)
            {
                // MEA precedes SEL in the EQD group of every CUSCAR directory.
                writer.Write("MEA", [EdifactCodes.Measurement], [EdifactCodes.GrossWeight], ["KGM", containerMass.ToString(CultureInfo.InvariantCulture)]);
            }
            foreach (var seal in container.SealNumbers)
            {
                writer.Write("SEL", [seal], [EdifactCodes.SealedByCarrier]);
            }
        }
        var consignmentNumber = 0;
        foreach (var consignment in manifest.Consignments)
        {
            consignmentNumber++;
            writer.Write("CNI", [consignmentNumber.ToString(CultureInfo.InvariantCulture)], [consignment.BillOfLading]);
            writer.Write("RFF", [EdifactCodes.BillOfLading, consignment.BillOfLading]);
            WriteParty(writer, EdifactCodes.Consignor, consignment.Consignor);
            WriteParty(writer, EdifactCodes.Consignee, consignment.Consignee);
            WriteParty(writer, EdifactCodes.NotifyParty, consignment.NotifyParty);
            foreach (var item in consignment.GoodsItems)
            {
                writer.Write("GID", [item.ItemNumber?.ToString(CultureInfo.InvariantCulture)], [item.Packages?.ToString(CultureInfo.InvariantCulture), item.PackageType]);
                if (item.Description is { Length: > 0 } description)
                {
                    writer.Write("FTX", [EdifactCodes.GoodsDescription], [], [], [.. Chunks(description, TextComponentLength)]);
                }
                if (item.GrossMassKg is { } mass)
                {
                    writer.Write("MEA", [EdifactCodes.Measurement], [EdifactCodes.GrossWeight], ["KGM", mass.ToString(CultureInfo.InvariantCulture)]);
                }
                foreach (var container in item.Containers)
                {
                    writer.Write("SGP", [container.ToString()]);
                }
                if (item.HsCode is { Length: > 0 } hs)
                {
                    writer.Write("CST", [], [hs, HarmonizedSystem, CustomsCooperationCouncil]);
                }
            }
        }
        writer.WriteMessageTrailer();
        return true;
    }

    private static void WriteParty(EdifactWriter writer, string qualifier, ManifestParty? party)
    {
        if (party is null)
        {
            return;
        }
        writer.Write("NAD", [qualifier], [party.Identifier], [], party.Name is { Length: > 0 } name ? [.. Chunks(name, NameComponentLength)] : []);
    }

    private static IEnumerable<string> Chunks(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }
}
