using System.Globalization;
using System.Text.Json;
using PortCustoms.Core.Intake;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Reconciliation;

/// <summary>A request to reconcile a vessel call (again, with <see cref="Rerun"/>).</summary>
public sealed record ReconciliationStartRequest(VesselCall VesselCall, bool Rerun);

/// <summary>Who resolved discrepancy <see cref="Number"/> of a report, and why.</summary>
public sealed record DiscrepancyResolutionRequest(int Number, string ResolvedBy, string Note);

/// <summary>The reconciliation's requests as JSON objects, every field at fault named (<see cref="JsonObjectBody"/>).</summary>
public static class ReconciliationRequests
{
    /// <summary>A reconciliation request is a few dozen bytes; anything near this is not one.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary><c>{ "vesselImo", "voyage", "rerun"? }</c>.</summary>
    public static ReconciliationStartRequest? ParseStart(JsonElement body, out FieldErrors errors)
    {
        errors = new FieldErrors();
        var imoText = body.TryGetProperty("vesselImo", out var imo) && imo.ValueKind == JsonValueKind.String ? imo.GetString() : null;
        var imoError = ImoNumber.TryParse(imoText.AsSpan(), out var vesselImo);
        if (imoError != ImoNumberError.None)
        {
            errors.Add("vesselImo", $"'{imoText}' is not an IMO number: {ImoNumber.Describe(imoError)}.");
        }
        var voyage = body.TryGetProperty("voyage", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (voyage is null || VesselCall.NormalizeVoyage(voyage).Length == 0)
        {
            errors.Add("voyage", "The carrier's voyage number is required (letters and digits).");
        }
        var rerun = false;
        if (body.TryGetProperty("rerun", out var r))
        {
            if (r.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                rerun = r.GetBoolean();
            }
            else
            {
                errors.Add("rerun", "rerun is true or false.");
            }
        }
        return errors.Any ? null : new ReconciliationStartRequest(new VesselCall(vesselImo, voyage!), rerun);
    }

    /// <summary><c>{ "resolvedBy", "note" }</c> for discrepancy <paramref name="n"/> (the route's text).</summary>
    public static DiscrepancyResolutionRequest? ParseResolution(JsonElement body, string? n, out FieldErrors errors)
    {
        errors = new FieldErrors();
        var resolvedBy = body.TryGetProperty("resolvedBy", out var by) && by.ValueKind == JsonValueKind.String ? by.GetString()?.Trim() : null;
        var note = body.TryGetProperty("note", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()?.Trim() : null;
        if (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            errors.Add("n", $"'{n}' is not a discrepancy number (1, 2, ...).");
        }
        if (string.IsNullOrEmpty(resolvedBy) || resolvedBy.Length > 200)
        {
            errors.Add("resolvedBy", "Who resolved it is required (at most 200 characters).");
        }
        if (string.IsNullOrEmpty(note) || note.Length > 2000)
        {
            errors.Add("note", "Why it is resolved is required (at most 2000 characters).");
        }
        return errors.Any ? null : new DiscrepancyResolutionRequest(number, resolvedBy!, note!);
    }
}
