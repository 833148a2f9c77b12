using System.Globalization;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Manifests;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Translation;

/// <summary>The interchange written, and what could not be written (each a diagnostic; the rest is still written).</summary>
public sealed record EdifactComposition(byte[] Interchange, int MessageCount, IReadOnlyList<EdifactDiagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == EdifactSeverity.Error);
}

/// <summary>
/// Writes the canonical model as one EDIFACT interchange: status events as CODECO (gate) or COARRI (vessel), one
/// message per event (BGM 1004 = event id); notifications as CUSRES (status back to the authority's 7365 code);
/// manifests as CUSCAR. Uses the syntax layer's writer, so release characters, UNT and UNZ are always right.
/// </summary>
public sealed class EdifactComposer
{
    private readonly CustomsAuthorityOptions _authority;

    public EdifactComposer(CustomsAuthorityOptions? authority = null) => _authority = authority ?? new CustomsAuthorityOptions();

    public EdifactComposition Compose(CanonicalDocument document, EdifactInterchangeOptions options)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Compose(document.Events.Select(e => e.Value), document.Notifications.Select(n => n.Value), document.Manifests.Select(m => m.Value), options);
    }

    public EdifactComposition Compose(
        IEnumerable<ContainerStatusEvent> events,
        IEnumerable<CustomsNotification> notifications,
        IEnumerable<CargoManifest> manifests,
        EdifactInterchangeOptions options)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(notifications);
        ArgumentNullException.ThrowIfNull(manifests);
        ArgumentNullException.ThrowIfNull(options);
        var diagnostics = new List<EdifactDiagnostic>();
        var count = 0;
        string NextReference() => (count + 1).ToString(CultureInfo.InvariantCulture);
        var bytes = EdifactInterchangeWriter.Write(options, writer =>
        {
            foreach (var e in events)
            {
                if (Encodable(options, $"Event '{e.EventId}'", [e.EventId, e.Voyage, e.Location, .. e.SealNumbers], diagnostics)
                    && StatusEventMapping.Write(writer, e, NextReference(), options.Directory, options.Sender, diagnostics))
                {
                    count++;
                }
            }
            foreach (var n in notifications)
            {
                if (!Encodable(options, $"Notification '{n.NotificationId}'", [n.CustomsReference, n.Reason], diagnostics))
                {
                    continue;
                }
                var code = StatusCodeFor(n.Status);
                if (code is null)
                {
                    diagnostics.Add(new EdifactDiagnostic(MappingErrorCodes.CustomsStatusUnmapped, EdifactSeverity.Error,
                        $"Notification '{n.NotificationId}': no {_authority.Name} status code maps to {n.Status.ToName()}; not written.", default));
                    continue;
                }
                CustomsResponseMapping.Write(writer, NextReference(), options.Directory, code, n.ContainerNumber, n.CustomsReference, n.IssuedAt, n.Reason);
                count++;
            }
            foreach (var m in manifests)
            {
                if (Encodable(options, $"Manifest of voyage '{m.Voyage}'", StringsOf(m), diagnostics)
                    && CargoManifestMapping.Write(writer, m, NextReference(), options.Directory, diagnostics))
                {
                    count++;
                }
            }
        });
        return new EdifactComposition(bytes, count, diagnostics);
    }

    private static bool Encodable(EdifactInterchangeOptions options, string item, IEnumerable<string?> values, List<EdifactDiagnostic> diagnostics)
    {
        if (options.CharacterSet == EdifactCharacterSet.Unoy)
        {
            return true;
        }
        // UNOA/UNOB/UNOC are single-byte: anything beyond ISO 8859-1 cannot be written at all (narrower sets are
        // reported by reading the output back).
        var bad = values.FirstOrDefault(v => v is not null && v.Any(c => c > '\u00FF'));
        if (bad is null)
        {
            return true;
        }
        diagnostics.Add(new EdifactDiagnostic(MappingErrorCodes.CharacterSet, EdifactSeverity.Error,
            $"{item}: '{bad}' has characters {EdifactCharacterSets.ToSyntaxIdentifier(options.CharacterSet)} cannot carry; not written.", default));
        return false;
    }

    private static IEnumerable<string?> StringsOf(CargoManifest m)
    {
        yield return m.Vessel.CallSign;
        yield return m.Vessel.Name;
        yield return m.Voyage;
        yield return m.PortOfLoading;
        yield return m.PortOfDischarge;
        foreach (var c in m.Containers)
        {
            foreach (var seal in c.SealNumbers)
            {
                yield return seal;
            }
        }
        foreach (var consignment in m.Consignments)
        {
            yield return consignment.BillOfLading;
            foreach (var party in new[] { consignment.Consignor, consignment.Consignee, consignment.NotifyParty })
            {
                yield return party?.Identifier;
                yield return party?.Name;
            }
            foreach (var item in consignment.GoodsItems)
            {
                yield return item.HsCode;
                yield return item.PackageType;
                yield return item.Description;
            }
        }
    }

    /// <summary>The authority's code for a status (the first code whose decision gives it); null for none.</summary>
    public string? StatusCodeFor(CustomsStatus status) =>
        _authority.StatusCodes.Where(c => CustomsResponseMapping.StatusOf(c.Value.Decision) == status).Select(c => c.Key).Order(StringComparer.Ordinal).FirstOrDefault();
}
