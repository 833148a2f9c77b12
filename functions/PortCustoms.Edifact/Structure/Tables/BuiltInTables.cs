namespace PortCustoms.Edifact.Structure.Tables;

/// <summary>
/// Registers the generated tables: the six messages in D95B, D96B, D00B and D01B, and CONTRL for
/// syntax versions 3 and 4. Each directory's segment definitions are built once, on first use.
/// </summary>
internal static class BuiltInTables
{
    private static readonly Lazy<SegmentDefinition[]> D95B = new(D95BTables.Segments);
    private static readonly Lazy<SegmentDefinition[]> D96B = new(D96BTables.Segments);
    private static readonly Lazy<SegmentDefinition[]> D00B = new(D00BTables.Segments);
    private static readonly Lazy<SegmentDefinition[]> D01B = new(D01BTables.Segments);
    private static readonly Lazy<Dictionary<string, SegmentDefinition>> ServiceV3 = new(() => ToDictionary(ServiceV3Tables.Segments()));
    private static readonly Lazy<Dictionary<string, SegmentDefinition>> ServiceV4 = new(() => ToDictionary(ServiceV4Tables.Segments()));

    /// <summary>Every built-in table, each built when first asked for.</summary>
    internal static IEnumerable<(MessageKey Key, Func<MessageStructure> Build)> All()
    {
        foreach ((MessageKey key, Func<MessageStructure> build) in Directory(D95BTables.Version, D95BTables.Release, D95BTables.Messages, D95B))
        {
            yield return (key, build);
        }

        foreach ((MessageKey key, Func<MessageStructure> build) in Directory(D96BTables.Version, D96BTables.Release, D96BTables.Messages, D96B))
        {
            yield return (key, build);
        }

        foreach ((MessageKey key, Func<MessageStructure> build) in Directory(D00BTables.Version, D00BTables.Release, D00BTables.Messages, D00B))
        {
            yield return (key, build);
        }

        foreach ((MessageKey key, Func<MessageStructure> build) in Directory(D01BTables.Version, D01BTables.Release, D01BTables.Messages, D01B))
        {
            yield return (key, build);
        }

        var contrl3 = new MessageKey("CONTRL", ServiceV3Tables.ContrlVersion, ServiceV3Tables.ContrlRelease);
        yield return (contrl3, () => new MessageStructure(contrl3, ServiceV3Tables.Contrl(), ServiceV3.Value.Values));
        var contrl4 = new MessageKey("CONTRL", ServiceV4Tables.ContrlVersion, ServiceV4Tables.ContrlRelease);
        yield return (contrl4, () => new MessageStructure(contrl4, ServiceV4Tables.Contrl(), ServiceV4.Value.Values));
    }

    /// <summary>
    /// The service segment definitions (UNH, UNT, UCI...) of a syntax version. Versions 1 to 3 share the
    /// version 3 definitions. UNH and UNT always come from here: the copies in the directories' own
    /// segment lists are not the ISO 9735 ones.
    /// </summary>
    internal static IReadOnlyDictionary<string, SegmentDefinition> ServiceSegments(int syntaxVersion) =>
        syntaxVersion >= 4 ? ServiceV4.Value : ServiceV3.Value;

    private static IEnumerable<(MessageKey Key, Func<MessageStructure> Build)> Directory(
        string version,
        string release,
        IEnumerable<(string Type, Func<StructureNode[]> Entries)> messages,
        Lazy<SegmentDefinition[]> segments)
    {
        foreach ((string type, Func<StructureNode[]> entries) in messages)
        {
            var key = new MessageKey(type, version, release);
            yield return (key, () => new MessageStructure(key, entries(), segments.Value));
        }
    }

    private static Dictionary<string, SegmentDefinition> ToDictionary(SegmentDefinition[] segments) =>
        segments.ToDictionary(s => s.Tag, StringComparer.Ordinal);
}
