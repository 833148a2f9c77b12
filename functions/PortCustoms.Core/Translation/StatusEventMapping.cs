using System.Globalization;
using PortCustoms.Core.Events;
using PortCustoms.Core.Model;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Translation;

/// <summary>
/// CODECO (gate-in, gate-out) and COARRI (discharge, loading) to and from <see cref="ContainerStatusEvent"/>:
/// BGM 1001 the event type, BGM 1004 the event id, the message-level TDT the vessel (IMO in C222) and voyage, and per
/// equipment group (trigger EQD) the container, its size-type (C224), event time (DTM), location (LOC), seals (SEL) and
/// gross mass (MEA). Groups are found through the structure layer's placements, so D95B/D96B/D00B/D01B all read.
/// </summary>
public static class StatusEventMapping
{
    /// <summary>The event type a BGM 1001 code names, or None (contracts/cli.md; D00B+ report codes too).</summary>
    public static ContainerEventType EventTypeOf(string documentCode) => EventTypeOf(documentCode.AsSpan());

    /// <inheritdoc cref="EventTypeOf(string)"/>
    public static ContainerEventType EventTypeOf(ReadOnlySpan<char> documentCode) => documentCode switch
    {
        EdifactCodes.GateIn or EdifactCodes.InwardMovementReport => ContainerEventType.GatedIn,
        EdifactCodes.GateOut or EdifactCodes.OutwardMovementReport => ContainerEventType.GatedOut,
        EdifactCodes.Discharge or EdifactCodes.DischargeReport => ContainerEventType.Discharged,
        EdifactCodes.Loading or EdifactCodes.LoadingReport => ContainerEventType.Loaded,
        _ => ContainerEventType.None,
    };

    /// <summary>The message type and BGM 1001 an event is written with; null for types no status message carries.</summary>
    public static (string MessageType, string DocumentCode)? MessageFor(ContainerEventType type) => type switch
    {
        ContainerEventType.GatedIn => ("CODECO", EdifactCodes.GateIn),
        ContainerEventType.GatedOut => ("CODECO", EdifactCodes.GateOut),
        ContainerEventType.Discharged => ("COARRI", EdifactCodes.Discharge),
        ContainerEventType.Loaded => ("COARRI", EdifactCodes.Loading),
        _ => null,
    };

    internal static List<ContainerStatusEvent> Read(MappingContext context)
    {
        var events = new List<ContainerStatusEvent>();
        var bgm = context.First(context.Root, "BGM");
        if (bgm is null)
        {
            return events;
        }
        // Codes and qualifiers are compared in the message's table; strings are made only for values an event keeps.
        var code = bgm.GetSpan(1, 1);
        var type = EventTypeOf(code);
        if (type == ContainerEventType.None)
        {
            context.Error(MappingErrorCodes.EventTypeUnknown,
                $"BGM 1001 '{code}' names no container event ({context.Message.MessageType}: 34 gate-in, 36 gate-out, 44 discharge, 46 loading).", bgm, 1, 1);
            return events;
        }
        if (bgm.GetSpan(3) is EdifactCodes.Cancellation)
        {
            context.Error(MappingErrorCodes.CancellationNotMapped,
                "BGM 1225 says this message cancels an earlier one; a cancelled event is not an event, and none is produced.", bgm, 3);
            return events;
        }
        var findingsOnly = context.FindingsOnly;
        var documentNumber = findingsOnly ? string.Empty : bgm.GetValue(2);
        var baseId = findingsOnly || documentNumber.Length > 0
            ? documentNumber
            : string.Join('-', context.Message.InterchangeReference, context.Message.Reference);

        // The vessel: the message-level transport group (main carriage).
        ImoNumber imo = default;
        string? voyage = null;
        string? vesselLocation = null;
        var transport = context.Root.FirstGroupOf("TDT");
        if (transport is not null)
        {
            var tdt = context.TriggerOf(transport);
            voyage = findingsOnly ? null : MappingContext.NullIfEmpty(tdt.GetValue(2));
            imo = context.VesselImo(tdt);
            vesselLocation = LocationFor(context, transport, type);
        }

        // Plain loops and FindDeep below, no LINQ or iterators: this runs for every message of a gigabyte file.
        var equipmentCount = context.Root.CountGroupsOf("EQD");
        foreach (var equipment in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(context.Root.GroupsList))
        {
            if (equipment.Trigger != "EQD")
            {
                continue;
            }
            var eqd = context.TriggerOf(equipment);
            var qualifier = eqd.GetSpan(1);
            if (qualifier is not EdifactCodes.Container)
            {
                context.Warning(MappingErrorCodes.EquipmentNotContainer, $"EQD equipment '{qualifier}' is not a container (CN); not mapped.", eqd, 1);
                continue;
            }
            var errorsBefore = context.ErrorCount;
            var container = context.Container(eqd, 2, 1);
            var sizeType = context.SizeType(eqd);
            DateTimeOffset? occurredAt = null;
            var dtm = PreferredDate(context, equipment);
            if (dtm is null)
            {
                context.Error(MappingErrorCodes.DateMissing, "The equipment group has no event date/time (DTM 7, 178 or 186).", eqd);
            }
            else
            {
                occurredAt = context.Date(dtm);
            }
            var location = LocationFor(context, equipment, type) ?? vesselLocation;
            List<string>? seals = null;
            if (!findingsOnly)
            {
                // Seals are read, never checked: nothing to find when only the findings are wanted.
                context.FindDeep(equipment, "SEL", "TDT", ref seals, static (EdifactSegment sel, ref List<string>? found) =>
                {
                    if (!sel.GetSpan(1).IsEmpty)
                    {
                        (found ??= []).Add(sel.GetValue(1));
                    }
                    return false;
                });
            }
            decimal? mass = null;
            var none = false;
            var mea = context.FindDeep(equipment, "MEA", "TDT", ref none, static (EdifactSegment segment, ref bool _) => IsGrossMass(segment));
            if (mea is not null)
            {
                mass = context.MassKg(mea);
            }
            if (findingsOnly || context.ErrorCount > errorsBefore || container.IsEmpty || occurredAt is null)
            {
                continue;
            }
            var eventId = equipmentCount == 1 ? baseId : string.Concat(baseId, "-", container.ToString());
            events.Add(new ContainerStatusEvent(eventId, container, type, occurredAt.Value)
            {
                VesselImo = imo,
                Voyage = voyage,
                Location = location,
                SealNumbers = (IReadOnlyList<string>?)seals ?? [],
                GrossMassKg = mass,
                SizeType = sizeType,
            });
        }
        if (equipmentCount == 0)
        {
            context.Error(MappingErrorCodes.ContainerMissing, "The message has no equipment group (EQD): no event to map.", bgm);
        }
        return events;
    }

    internal static bool IsGrossMass(EdifactSegment mea) =>
        mea.GetSpan(1) is EdifactCodes.Measurement or EdifactCodes.Weights
        && mea.GetSpan(2, 1) is EdifactCodes.GrossWeight or EdifactCodes.UnitGrossWeight;

    /// <summary>Effective, arrival or departure first; else the first DTM of the group (outside onward-carriage TDT groups).</summary>
    private static EdifactSegment? PreferredDate(MappingContext context, GroupInstance equipment)
    {
        EdifactSegment? any = null;
        return context.FindDeep(equipment, "DTM", "TDT", ref any, static (EdifactSegment dtm, ref EdifactSegment? first) =>
        {
            first ??= dtm;
            return dtm.GetSpan(1, 1) is EdifactCodes.Effective or EdifactCodes.ArrivalActual or EdifactCodes.DepartureActual;
        }) ?? any;
    }

    private static string? LocationFor(MappingContext context, GroupInstance group, ContainerEventType type)
    {
        var search = new LocationSearch(context, type switch
        {
            ContainerEventType.Discharged => EdifactCodes.PlaceOfDischarge,
            ContainerEventType.Loaded => EdifactCodes.PlaceOfLoading,
            _ => null,
        });
        var found = context.FindDeep(group, "LOC", group.Trigger == "EQD" ? "TDT" : null, ref search, static (EdifactSegment loc, ref LocationSearch s) =>
        {
            var qualifier = loc.GetSpan(1);
            if (qualifier is EdifactCodes.StowageCell || loc.GetSpan(2, 1).IsEmpty)
            {
                return false;
            }
            s.Context.CheckLocode(loc);
            if (s.Wanted is not null && qualifier.SequenceEqual(s.Wanted))
            {
                return true;
            }
            // The value is read only for an event: with the findings only, no string.
            s.Any ??= s.Context.FindingsOnly ? string.Empty : loc.GetValue(2, 1);
            return false;
        });
        return found is not null ? (context.FindingsOnly ? string.Empty : found.GetValue(2, 1)) : search.Any;
    }

    private struct LocationSearch(MappingContext context, string? wanted)
    {
        public readonly MappingContext Context = context;
        public readonly string? Wanted = wanted;
        public string? Any;
    }

    /// <summary>Writes one message for <paramref name="statusEvent"/>; false (and a diagnostic) for a type no status message carries.</summary>
    internal static bool Write(EdifactWriter writer, ContainerStatusEvent statusEvent, string reference, EdifactDirectory directory, string sender, List<EdifactDiagnostic> diagnostics)
    {
        if (MessageFor(statusEvent.Type) is not { } message)
        {
            diagnostics.Add(new EdifactDiagnostic(MappingErrorCodes.EventTypeNotMappable, EdifactSeverity.Error,
                $"Event '{statusEvent.EventId}' of type {statusEvent.Type.ToWireName()} has no CODECO/COARRI equivalent; not written.", default));
            return false;
        }
        writer.Write("UNH", [reference], [message.MessageType, directory.Version, directory.Release, "UN"]);
        writer.Write("BGM", [message.DocumentCode], [statusEvent.EventId], [EdifactCodes.Original]);
        writer.Write("TDT", [EdifactCodes.MainCarriage], [statusEvent.Voyage], [EdifactCodes.Maritime], [], [], [], [],
            statusEvent.VesselImo.IsEmpty ? [] : [statusEvent.VesselImo.ToString(), EdifactCodes.MeansOfTransportIdentification, EdifactCodes.LloydsRegister]);
        // NAD is mandatory in both messages: the sender of the report.
        writer.Write("NAD", ["MS"], [sender]);
        writer.Write("EQD", [EdifactCodes.Container], [statusEvent.ContainerNumber.ToString()],
            statusEvent.SizeType.IsEmpty ? [] : [statusEvent.SizeType.ToString(), EdifactCodes.SizeAndTypeList, EdifactCodes.Iso]);
        var (value, format) = EdifactDates.Format(statusEvent.OccurredAt);
        writer.Write("DTM", [EdifactCodes.Effective, value, format]);
        if (statusEvent.Location is { Length: > 0 } location)
        {
            var qualifier = statusEvent.Type switch
            {
                ContainerEventType.Discharged => EdifactCodes.PlaceOfDischarge,
                ContainerEventType.Loaded => EdifactCodes.PlaceOfLoading,
                ContainerEventType.GatedIn => EdifactCodes.PlaceOfReceipt,
                _ => EdifactCodes.PlaceOfDelivery,
            };
            writer.Write("LOC", [qualifier], [location, EdifactCodes.UnLocodeList, EdifactCodes.UnEce]);
        }
        if (statusEvent.GrossMassKg is { } mass)
        {
            writer.Write("MEA", [EdifactCodes.Measurement], [EdifactCodes.GrossWeight], ["KGM", mass.ToString(CultureInfo.InvariantCulture)]);
        }
        foreach (var seal in statusEvent.SealNumbers)
        {
            writer.Write("SEL", [seal], [EdifactCodes.SealedByCarrier]);
        }
        writer.Write("CNT", [EdifactCodes.TotalEquipment, "1"]);
        writer.WriteMessageTrailer();
        return true;
    }
}
