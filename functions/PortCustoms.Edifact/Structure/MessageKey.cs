namespace PortCustoms.Edifact.Structure;

/// <summary>
/// What identifies a message table: UNH S009 message type (0065), version (0052) and release (0054),
/// e.g. CUSCAR D 95B, or CONTRL D 3 (syntax version 3) and CONTRL 4 1 (syntax version 4).
/// </summary>
public readonly record struct MessageKey
{
    /// <summary>Creates a key; values are compared as given (EDIFACT codes are upper case).</summary>
    public MessageKey(string type, string version, string release)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentException.ThrowIfNullOrEmpty(release);
        Type = type;
        Version = version;
        Release = release;
    }

    /// <summary>Message type, e.g. CUSCAR.</summary>
    public string Type { get; }

    /// <summary>Message version number, e.g. D.</summary>
    public string Version { get; }

    /// <summary>Message release number, e.g. 95B.</summary>
    public string Release { get; }

    /// <summary>The key as UNH writes it: <c>CUSCAR:D:95B</c>.</summary>
    public override string ToString() => $"{Type}:{Version}:{Release}";
}
