using System.Diagnostics.CodeAnalysis;

namespace PortCustoms.Core.Translation;

/// <summary>An UN/EDIFACT directory the mappings write (UNH S009 0052 and 0054): D95B, D96B, D00B, D01B.</summary>
public readonly record struct EdifactDirectory
{
    private EdifactDirectory(string release) => Release = release;

    public static EdifactDirectory D95B { get; } = new("95B");

    public static EdifactDirectory D96B { get; } = new("96B");

    public static EdifactDirectory D00B { get; } = new("00B");

    public static EdifactDirectory D01B { get; } = new("01B");

    /// <summary>0052: always <c>D</c> (draft directory) for the supported ones.</summary>
#pragma warning disable CA1822 // An instance property, read alongside Release.
    public string Version => "D";
#pragma warning restore CA1822

    /// <summary>0054, e.g. <c>95B</c>.</summary>
    public string Release { get; }

    public static IReadOnlyList<EdifactDirectory> Supported { get; } = [D95B, D96B, D00B, D01B];

    public static bool TryParse([NotNullWhen(true)] string? text, out EdifactDirectory directory)
    {
        directory = Supported.FirstOrDefault(d => string.Equals(d.ToString(), text, StringComparison.OrdinalIgnoreCase));
        return directory.Release is not null;
    }

    public override string ToString() => Version + Release;
}
