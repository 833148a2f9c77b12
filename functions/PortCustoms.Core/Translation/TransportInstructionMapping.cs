using System.Globalization;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Translation;

/// <summary>
/// IFTMCS (instruction contract status) and IFTMAN (arrival notice), read into the manifest pieces they carry cleanly:
/// one consignment (bill of lading from RFF BM or BGM 1004; parties from NAD groups; goods items from GID groups with
/// the HS code in PIA 7143 = HS, gross mass in the MEA group, containers in the SGP groups), the vessel and ports from
/// the main-carriage TDT group, and the containers from the EQD groups. Read only: PortCustoms never sends them.
/// </summary>
internal static class TransportInstructionMapping
{
    public static CargoManifest? Read(MappingContext context)
    {
        var bgm = context.First(context.Root, "BGM");
        if (bgm is null)
        {
            return null;
        }
        var transport = context.Root.GroupsOf("TDT").FirstOrDefault(g => context.TriggerOf(g).GetValue(1) == EdifactCodes.MainCarriage)
            ?? context.Root.GroupsOf("TDT").FirstOrDefault();
        var vessel = new ManifestVessel();
        string? voyage = null, loading = null, discharge = null;
        if (transport is not null)
        {
            var tdt = context.TriggerOf(transport);
            var (imo, callSign, name) = context.Vessel(tdt);
            vessel = new ManifestVessel { Imo = imo, CallSign = callSign, Name = name };
            voyage = MappingContext.NullIfEmpty(tdt.GetValue(2));
            foreach (var loc in context.SegmentsDeep(transport, "LOC"))
            {
                var value = MappingContext.NullIfEmpty(loc.GetValue(2, 1));
                switch (loc.GetValue(1))
                {
                    case EdifactCodes.PlaceOfLoading:
                        loading ??= value;
                        break;
                    case EdifactCodes.PlaceOfDischarge:
                        discharge ??= value;
                        break;
                }
            }
        }

        string? billOfLading = null;
        foreach (var group in context.Root.GroupsOf("RFF"))
        {
            var rff = context.TriggerOf(group);
            if (rff.GetValue(1, 1) == EdifactCodes.BillOfLading)
            {
                billOfLading = MappingContext.NullIfEmpty(rff.GetValue(1, 2));
                break;
            }
        }
        billOfLading ??= MappingContext.NullIfEmpty(bgm.GetValue(2));
        if (billOfLading is null)
        {
            context.Error(MappingErrorCodes.FieldMissing, "No bill of lading (RFF BM) or document number (BGM 1004).", bgm);
            return null;
        }

        var (consignor, consignee, notify) = CargoManifestMapping.Parties(context, context.Root.GroupsOf("NAD"));

        var goods = new List<ManifestGoodsItem>();
        foreach (var item in context.Root.GroupsOf("GID"))
        {
            var gid = context.TriggerOf(item);
            decimal? mass = null;
            var mea = context.SegmentsDeep(item, "MEA", "SGP", "DGS", "TPL").FirstOrDefault(StatusEventMapping.IsGrossMass);
            if (mea is not null)
            {
                mass = context.MassKg(mea);
            }
            var stowedIn = new List<ContainerNumber>();
            foreach (var sgp in context.SegmentsDeep(item, "SGP", "DGS"))
            {
                var container = context.Container(sgp, 1, 1);
                if (!container.IsEmpty && !stowedIn.Contains(container))
                {
                    stowedIn.Add(container);
                }
            }
            var description = string.Concat(context.Segments(item, "FTX")
                .Where(f => f.GetValue(1) == EdifactCodes.GoodsDescription)
                .SelectMany(f => f.GetElement(4)?.Components ?? []));
            goods.Add(new ManifestGoodsItem
            {
                ItemNumber = int.TryParse(gid.GetValue(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null,
                Packages = int.TryParse(gid.GetValue(2, 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null,
                PackageType = MappingContext.NullIfEmpty(gid.GetValue(2, 2)),
                HsCode = HsCode(context.Segments(item, "PIA")),
                GrossMassKg = mass,
                Description = description.Length == 0 ? null : description,
                Containers = stowedIn,
            });
        }

        var containers = CargoManifestMapping.Containers(context, sealsInNestedGroups: false, out var rejected);

        return new CargoManifest
        {
            Vessel = vessel,
            Voyage = voyage,
            PortOfLoading = loading,
            PortOfDischarge = discharge,
            Consignments = [new ManifestConsignment { BillOfLading = billOfLading, Consignor = consignor, Consignee = consignee, NotifyParty = notify, GoodsItems = goods }],
            Containers = containers,
            RejectedContainers = rejected,
        };
    }

    // PIA C212: 7140 item number, 7143 item number type; HS = Harmonised system.
    private static string? HsCode(IEnumerable<EdifactSegment> pias)
    {
        foreach (var pia in pias)
        {
            for (var element = 2; element <= 6; element++)
            {
                if (pia.GetValue(element, 2) == "HS" && pia.GetValue(element, 1) is { Length: > 0 } code)
                {
                    return code;
                }
            }
        }
        return null;
    }
}
