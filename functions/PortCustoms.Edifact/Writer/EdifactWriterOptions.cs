namespace PortCustoms.Edifact;

/// <summary>How an <see cref="EdifactWriter"/> writes.</summary>
public sealed class EdifactWriterOptions
{
    /// <summary>The delimiters to write with; ISO 9735's <c>:+.? '</c> by default.</summary>
    public EdifactDelimiters Delimiters { get; set; } = EdifactDelimiters.Default;

    /// <summary>The character set that string values are encoded in: UNOY as UTF-8, the others as Latin-1.</summary>
    public EdifactCharacterSet CharacterSet { get; set; } = EdifactCharacterSet.Unoc;

    /// <summary>Whether to write a line feed after each segment terminator, for people reading the file.</summary>
    public bool NewLineAfterSegment { get; set; }

    internal EdifactWriterOptions Clone() => (EdifactWriterOptions)MemberwiseClone();
}
