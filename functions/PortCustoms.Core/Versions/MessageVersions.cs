using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PortCustoms.Core.Versions;

/// <summary>One message type's move from an old version to a new one (section <c>MessageVersions:Types:{type}</c>).</summary>
public sealed class MessageVersionTransition
{
    /// <summary>The version accepted before and during the transition, e.g. <c>D95B</c> or <c>1</c>.</summary>
    public string Old { get; set; } = string.Empty;

    /// <summary>The version accepted during and after it, e.g. <c>D00B</c> or <c>2</c>.</summary>
    public string New { get; set; } = string.Empty;

    /// <summary>Start of the transition: from then on both versions are accepted.</summary>
    public DateTimeOffset From { get; set; }

    /// <summary>End of the transition: from then on only <see cref="New"/> is accepted.</summary>
    public DateTimeOffset To { get; set; }

    /// <summary>
    /// The version the customs platform expects from PortCustoms; unset: <see cref="Old"/> before <see cref="To"/>,
    /// <see cref="New"/> from then on (the platform must take the old one until the transition ends).
    /// </summary>
    public string? Produce { get; set; }
}

/// <summary>
/// Schema versions side by side (section <c>MessageVersions</c>): per message type (EDIFACT <c>CODECO</c>, <c>CUSCAR</c>...,
/// WCO XML <c>status-event</c>, <c>customs-response</c>...), which declared versions are accepted when, and which one is
/// produced. A type without a transition accepts every version it can read, as before.
/// </summary>
public sealed class MessageVersionOptions : IValidatableObject
{
    public const string SectionName = "MessageVersions";

    public Dictionary<string, MessageVersionTransition> Types { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The port's UN/LOCODE: the derivation rule for WCO XML <c>status-event:2</c>, whose <c>Location/ID</c> became
    /// mandatory (every event the terminal reports happens in this port). Unset: such an event is held.
    /// </summary>
    public string? PortLocode { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (type, t) in Types)
        {
            if (t is null || string.IsNullOrWhiteSpace(t.Old) || string.IsNullOrWhiteSpace(t.New) || t.Old == t.New)
            {
                yield return new ValidationResult($"{SectionName}:Types:{type} needs Old and New, two different versions.", [nameof(Types)]);
                continue;
            }
            if (t.To <= t.From)
            {
                yield return new ValidationResult($"{SectionName}:Types:{type}:To must lie after From.", [nameof(Types)]);
            }
            if (t.Produce is not null && t.Produce != t.Old && t.Produce != t.New)
            {
                yield return new ValidationResult($"{SectionName}:Types:{type}:Produce must be {t.Old} or {t.New}.", [nameof(Types)]);
            }
        }
        if (PortLocode is not null && !CodeLists.CodeListSet.Shipped.UnLocodes.HasValidForm(PortLocode))
        {
            yield return new ValidationResult($"{SectionName}:PortLocode '{PortLocode}' is not a UN/LOCODE (e.g. NLRTM).", [nameof(PortLocode)]);
        }
    }
}

/// <summary>Validates <see cref="MessageVersionOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class MessageVersionOptionsValidator : IValidateOptions<MessageVersionOptions>
{
}

/// <summary>Whether a declared version is accepted now, and which version to produce; from <see cref="MessageVersionOptions"/>.</summary>
public sealed class MessageVersionPolicy
{
    private readonly MessageVersionOptions _options;
    private readonly TimeProvider _time;

    public MessageVersionPolicy(IOptions<MessageVersionOptions> options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>No transitions: every readable version accepted.</summary>
    public static MessageVersionPolicy None { get; } = new(Options.Create(new MessageVersionOptions()));

    public string? PortLocode => _options.PortLocode;

    /// <summary>
    /// Null when <paramref name="version"/> of <paramref name="messageType"/> is accepted now; else the reason, naming
    /// the accepted version and the dates.
    /// </summary>
    public string? Refusal(string messageType, string version)
    {
        if (!_options.Types.TryGetValue(messageType, out var t))
        {
            return null;
        }
        var now = _time.GetUtcNow();
        if (version == t.Old && now < t.To || version == t.New && now >= t.From)
        {
            return null;
        }
        if (version == t.New)
        {
            return $"{messageType} version {version} is accepted from {t.From:yyyy-MM-dd HH:mm}Z; until then only {t.Old}.";
        }
        if (version == t.Old)
        {
            return $"{messageType} version {version} was accepted until {t.To:yyyy-MM-dd HH:mm}Z; since then only {t.New}.";
        }
        return now < t.From ? $"{messageType} version {version} is not accepted: only {t.Old} (and {t.New} from {t.From:yyyy-MM-dd}Z)."
            : now < t.To ? $"{messageType} version {version} is not accepted: {t.Old} or {t.New} during the transition."
            : $"{messageType} version {version} is not accepted: only {t.New}.";
    }

    /// <summary>The version to produce for <paramref name="messageType"/>; <paramref name="unconfigured"/> when no transition names it.</summary>
    public string Produce(string messageType, string unconfigured)
    {
        if (!_options.Types.TryGetValue(messageType, out var t))
        {
            return unconfigured;
        }
        return t.Produce ?? (_time.GetUtcNow() < t.To ? t.Old : t.New);
    }
}
