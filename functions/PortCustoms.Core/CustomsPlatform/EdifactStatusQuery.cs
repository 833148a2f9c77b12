using PortCustoms.Core.Translation;
using PortCustoms.Edifact;

namespace PortCustoms.Core.CustomsPlatform;

/// <summary>
/// The gate's live status query in EDIFACT, as the adapter speaks it (<see cref="EdifactCustomsMessageFormat"/>) and as
/// <c>portcustoms validate</c>/<c>translate</c> read and write it: a CUSCAR whose BGM 1001 is 21 (query), the query id in
/// BGM 1004 and the container in EQD+CN. The answer is an ordinary CUSRES (<see cref="CustomsResponseMapping.Write"/>),
/// told apart from a notification only by where it travels.
/// </summary>
public static class EdifactStatusQuery
{
    /// <summary>BGM 1001 code 21: Query.</summary>
    public const string QueryDocument = "21";

    /// <summary>A CUSCAR whose BGM says query: the live query, not a manifest.</summary>
    public static bool IsQuery(StructuredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.MessageType == "CUSCAR" && message.Message.Segments.FirstOrDefault(s => s.Tag == "BGM")?.GetValue(1, 1) == QueryDocument;
    }

    /// <summary>Writes the query message (UNH to UNT) into an interchange.</summary>
    public static void Write(EdifactWriter writer, string messageReference, EdifactDirectory directory, CustomsStatusQueryMessage query)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(query);
        writer.Write("UNH", [messageReference], ["CUSCAR", directory.Version, directory.Release, "UN"]);
        // BGM 1004 is an..35: a GUID's 36 characters lose their dashes (the id stays unique).
        writer.Write("BGM", [QueryDocument], [query.QueryId.Length <= 35 ? query.QueryId : query.QueryId.Replace("-", string.Empty, StringComparison.Ordinal)], ["9"]);
        writer.Write("EQD", [EdifactCodes.Container], [query.ContainerNumber]);
        writer.WriteMessageTrailer();
    }

    /// <summary>
    /// The query a CUSCAR (BGM 21) asks, or null with positioned findings in <paramref name="diagnostics"/> (no query
    /// id, no container, a container number that fails its check digit, more than one container).
    /// </summary>
    public static CustomsStatusQueryMessage? Read(StructuredMessage message, List<EdifactDiagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var context = new MappingContext(message, diagnostics);
        var bgm = message.Message.Segments.FirstOrDefault(s => s.Tag == "BGM");
        if (bgm is null || bgm.GetValue(1, 1) != QueryDocument)
        {
            return null;
        }
        var id = bgm.GetValue(2);
        if (id.Length == 0)
        {
            context.Error(MappingErrorCodes.FieldMissing, "The status query has no id (BGM 1004).", bgm, 2);
        }
        var equipment = message.Message.Segments.Where(s => s.Tag == "EQD").ToList();
        if (equipment.Count == 0)
        {
            context.Error(MappingErrorCodes.ContainerMissing, "The status query names no container (EQD+CN).", bgm);
            return null;
        }
        if (equipment.Count > 1)
        {
            context.Error(MappingErrorCodes.FieldMissing, "A status query asks about one container; this one names several (EQD).", equipment[1]);
        }
        if (equipment[0].GetValue(1) != EdifactCodes.Container)
        {
            context.Error(MappingErrorCodes.EquipmentNotContainer, $"EQD equipment '{equipment[0].GetValue(1)}' is not a container (CN).", equipment[0], 1);
            return null;
        }
        var container = context.Container(equipment[0], 2, 1);
        return context.ErrorCount == 0 && !message.Structure.HasErrors ? new CustomsStatusQueryMessage(id, container.ToString()) : null;
    }
}
