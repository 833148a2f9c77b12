using PortCustoms.Edifact.Structure;

namespace PortCustoms.Edifact.Tests.Structure;

/// <summary>The carried tables against the reference directories, and their regeneration on demand.</summary>
public sealed class TableReferenceTests
{
    public static TheoryData<string> AllDirectories => [.. TableGenerator.Directories, .. TableGenerator.ServiceDirectories];

    [RegenerationFact]
    public void Regenerate_WhenAsked_WritesTableFiles()
    {
        foreach (string directory in TableGenerator.Directories.Concat(TableGenerator.ServiceDirectories))
        {
            string source = TableGenerator.Generate(ReferenceDirectories.Path!, directory);
            File.WriteAllText(Path.Combine(TableGenerator.TablesFolder, TableGenerator.FileName(directory)), source);
        }
    }

    [ReferenceTheory]
    [MemberData(nameof(AllDirectories))]
    public void CheckedInTableFile_ComparedWithReference_IsWhatTheGeneratorProduces(string directory)
    {
        string expected = TableGenerator.Generate(ReferenceDirectories.Path!, directory);
        string actual = File.ReadAllText(Path.Combine(TableGenerator.TablesFolder, TableGenerator.FileName(directory)));

        Assert.Equal(expected, actual);
    }

    [ReferenceTheory]
    [MemberData(nameof(AllDirectories))]
    public void LoadedTables_ComparedWithReference_HoldTheSameStructuresAndSegments(string directory)
    {
        string expected = TableGenerator.Generate(ReferenceDirectories.Path!, directory);
        bool isService = directory.StartsWith("Service_", StringComparison.Ordinal);
        IEnumerable<MessageKey> keys = isService
            ? [TableGenerator.ReadMessage(Path.Combine(ReferenceDirectories.Path!, directory, "messages", "contrl.xml")).Key]
            : TableGenerator.Messages.Select(m => new MessageKey(m.ToUpperInvariant(), "D", directory[1..]));

        var messages = new List<TableGenerator.ReferenceMessage>();
        var segments = new Dictionary<string, SegmentDefinition>(StringComparer.Ordinal);
        foreach (MessageKey key in keys)
        {
            Assert.True(MessageStructureCatalog.Default.TryGetStructure(key, out MessageStructure? structure), key.ToString());
            messages.Add(new TableGenerator.ReferenceMessage(key, [.. structure.Entries]));
            foreach (SegmentDefinition segment in structure.Segments.Values)
            {
                segments[segment.Tag] = segment;
            }
        }

        string actual = TableGenerator.Emit(directory, messages, [.. segments.Values.OrderBy(s => s.Tag, StringComparer.Ordinal)]);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void DefaultCatalog_Keys_CoverEveryMessageAndDirectoryAndContrl()
    {
        IReadOnlyCollection<MessageKey> keys = MessageStructureCatalog.Default.Keys;

        foreach (string directory in TableGenerator.Directories)
        {
            foreach (string message in TableGenerator.Messages)
            {
                Assert.Contains(new MessageKey(message.ToUpperInvariant(), "D", directory[1..]), keys);
            }
        }

        Assert.Contains(new MessageKey("CONTRL", "D", "3"), keys);
        Assert.Contains(new MessageKey("CONTRL", "4", "1"), keys);
        Assert.Equal(26, keys.Count);
    }
}
