using Microsoft.Extensions.Options;
using System.ComponentModel.DataAnnotations;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Batch;

/// <summary>What a dropped file can be, detected from its content (never its name).</summary>
public enum BatchFormat : byte
{
    Unknown = 0,
    Edifact,
    DischargeListCsv,
    TerminalJsonEvents,
    TerminalJsonDischargeList,
}

/// <summary>What an error in one EDIFACT message does to the rest of the file.</summary>
public enum BatchRejection : byte
{
    /// <summary>Any error quarantines the whole file and nothing of it is applied.</summary>
    Interchange = 0,

    /// <summary>Messages with errors are rejected one by one (CONTRL says which); the others are applied.</summary>
    Message = 1,
}

/// <summary>How the uploader of a dropped file is checked against the folder it was dropped in.</summary>
public enum BatchUploaderIdentity : byte
{
    /// <summary>Not checked: LocalHost and tests, where files come from the developer, not from SFTP.</summary>
    NotChecked = 0,

    /// <summary>
    /// The file's owner on the landing account (hierarchical namespace: the SFTP local user's id, <c>x-ms-owner</c>)
    /// must be the broker's <see cref="BatchBrokerOptions.SftpUserId"/>; anything else is quarantined unread.
    /// </summary>
    SftpOwner,
}

/// <summary>How one broker's files are checked (section <c>Batch:Brokers:{broker}</c>, defaults from <c>Batch:Default</c>).</summary>
public sealed class BatchBrokerOptions
{
    public const long DefaultMaxFileSize = 2L * 1024 * 1024 * 1024;

    /// <summary>Formats the broker may send; empty: all.</summary>
    public IList<BatchFormat> AllowedFormats { get; init; } = [];

    /// <summary>EDIFACT message types (UNH 0065) the broker may send; empty: every type the translator knows.</summary>
    public IList<string> AllowedMessageTypes { get; init; } = [];

    /// <summary>Strict: envelope count and reference mismatches are errors; lenient: warnings.</summary>
    public EdifactValidationMode Envelope { get; set; } = EdifactValidationMode.Strict;

    public BatchRejection Rejection { get; set; } = BatchRejection.Interchange;

    /// <summary>Larger files are quarantined unread with <see cref="BatchErrorCodes.TooLarge"/>.</summary>
    public long MaxFileSize { get; set; } = DefaultMaxFileSize;

    /// <summary>
    /// The numeric user id Azure gave the broker's SFTP local user (written by infra/bicep from the local user's
    /// <c>userId</c>). With <see cref="BatchOptions.UploaderIdentity"/> = SftpOwner, only files this user owns are read.
    /// </summary>
    public string? SftpUserId { get; set; }

    /// <summary>
    /// The broker is the customs authority's channel: with <c>CustomsPlatform:InboundSignatures:Mode = Required</c> its
    /// EDIFACT files must carry the authority's AUTACK over every message, or the file is quarantined with the SIG-* finding.
    /// </summary>
    public bool CustomsChannel { get; set; }

    public bool Allows(BatchFormat format) => AllowedFormats.Count == 0 || AllowedFormats.Contains(format);

    public bool AllowsMessageType(string type) =>
        AllowedMessageTypes.Count == 0 || AllowedMessageTypes.Contains(type, StringComparer.OrdinalIgnoreCase);
}

/// <summary>The batch-file flow's settings (section <c>Batch</c>).</summary>
public sealed class BatchOptions : IValidatableObject
{
    public const string SectionName = "Batch";

    /// <summary>For brokers without their own section.</summary>
    public BatchBrokerOptions Default { get; set; } = new();

    /// <summary>Per broker, keyed by the folder name under <c>inbound/</c> (case-insensitive).</summary>
    public IDictionary<string, BatchBrokerOptions> Brokers { get; init; } = new Dictionary<string, BatchBrokerOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Findings kept per code in <c>.error.json</c> and <c>.result.json</c>; the rest are counted.</summary>
    public int FindingsPerCode { get; set; } = 100;

    /// <summary>How long an interchange reference (UNB 0020 per sender) counts as used.</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long a file may wait in inbound for its Event Grid event before the sweep processes it.</summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a file waits for its broker's lock while another file of the broker is decided (then retried).</summary>
    public TimeSpan BrokerLockWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether a file's uploader must be the folder's broker (on in Azure, written by infra/bicep).</summary>
    public BatchUploaderIdentity UploaderIdentity { get; set; } = BatchUploaderIdentity.NotChecked;

    public BatchBrokerOptions For(string broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return Brokers.TryGetValue(broker, out var options) ? options : Default;
    }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, broker) in Brokers.Select(b => (b.Key, b.Value)).Prepend(("Default", Default)))
        {
            if (broker.MaxFileSize < 1)
            {
                problems.Add($"Batch:{(name == "Default" ? "Default" : "Brokers:" + name)}:MaxFileSize must be at least 1 byte.");
            }
        }
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, broker) in Brokers)
        {
            if (broker.SftpUserId is not { } id)
            {
                continue;
            }
            if (id.Length == 0 || !id.All(char.IsAsciiDigit))
            {
                problems.Add($"Batch:Brokers:{name}:SftpUserId must be the local user's numeric user id, not '{id}'.");
            }
            else if (!users.TryAdd(id, name))
            {
                // One SFTP user for two folders would let either broker drop files as the other.
                problems.Add($"Batch:Brokers:{name}:SftpUserId {id} is also broker '{users[id]}''s.");
            }
        }
        if (!string.IsNullOrEmpty(Default.SftpUserId))
        {
            problems.Add("Batch:Default:SftpUserId must not be set: an SFTP user belongs to one broker's folder.");
        }
        if (!Enum.IsDefined(UploaderIdentity))
        {
            problems.Add("Batch:UploaderIdentity must be NotChecked or SftpOwner.");
        }
        if (FindingsPerCode < 1)
        {
            problems.Add("Batch:FindingsPerCode must be at least 1.");
        }
        if (DuplicateWindow <= TimeSpan.Zero)
        {
            problems.Add("Batch:DuplicateWindow must be positive.");
        }
        if (SweepGrace < TimeSpan.FromMinutes(1))
        {
            // Shorter, and the sweep would race the Event Grid delivery of files still arriving.
            problems.Add("Batch:SweepGrace must be at least one minute.");
        }
        if (BrokerLockWait < TimeSpan.Zero)
        {
            problems.Add("Batch:BrokerLockWait must not be negative.");
        }
        return problems;
    }

    /// <summary>For the source-generated validator: the problems above as validation results.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => Validate().Select(p => new ValidationResult(p));
}

/// <summary>Validates <see cref="BatchOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class BatchOptionsValidator : IValidateOptions<BatchOptions>
{
}
