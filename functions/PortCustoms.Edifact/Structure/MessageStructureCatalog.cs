using System.Diagnostics.CodeAnalysis;
using PortCustoms.Edifact.Structure.Tables;

namespace PortCustoms.Edifact.Structure;

/// <summary>
/// The message tables this project carries, looked up by UNH S009 type, version and release.
/// A message not listed is unsupported: there is no fallback to a neighbouring release.
/// </summary>
public sealed class MessageStructureCatalog
{
    private readonly Dictionary<MessageKey, Lazy<MessageStructure>> structures;

    private MessageStructureCatalog(IEnumerable<(MessageKey Key, Func<MessageStructure> Build)> entries)
    {
        structures = entries.ToDictionary(e => e.Key, e => new Lazy<MessageStructure>(e.Build));
    }

    /// <summary>Creates a catalog of the given tables (for tests or partner-specific tables).</summary>
    public MessageStructureCatalog(IEnumerable<MessageStructure> structures)
        : this(structures.Select(s => (s.Key, (Func<MessageStructure>)(() => s))))
    {
    }

    /// <summary>The built-in tables: CUSCAR, CUSRES, CODECO, COARRI, IFTMCS, IFTMAN in D95B, D96B, D00B, D01B, and CONTRL (D:3 and 4:1).</summary>
    public static MessageStructureCatalog Default { get; } = new(BuiltInTables.All());

    /// <summary>Every supported type, version and release.</summary>
    public IReadOnlyCollection<MessageKey> Keys => structures.Keys;

    /// <summary>Finds the table of a message; false when that exact type, version and release is not carried.</summary>
    public bool TryGetStructure(MessageKey key, [NotNullWhen(true)] out MessageStructure? structure)
    {
        if (structures.TryGetValue(key, out Lazy<MessageStructure>? lazy))
        {
            structure = lazy.Value;
            return true;
        }

        structure = null;
        return false;
    }

    /// <summary>True when some version of the message type is carried.</summary>
    internal bool SupportsType(string messageType) => structures.Keys.Any(k => k.Type == messageType);

    /// <summary>True when some release of the message type and version is carried.</summary>
    internal bool SupportsVersion(string messageType, string version) =>
        structures.Keys.Any(k => k.Type == messageType && k.Version == version);
}
