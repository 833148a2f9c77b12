using PortCustoms.Core.CodeLists;
using PortCustoms.Core.Customs;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Time;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Translation;

/// <summary>One message translated into the canonical model: what it became and what was found on the way.</summary>
public sealed class TranslatedMessage
{
    internal TranslatedMessage(string type, string reference, string directory, IReadOnlyList<EdifactDiagnostic> diagnostics)
    {
        Type = type;
        Reference = reference;
        Directory = directory;
        Diagnostics = diagnostics;
    }

    /// <summary>UNH S009 0065, e.g. <c>COARRI</c>.</summary>
    public string Type { get; }

    /// <summary>UNH 0062.</summary>
    public string Reference { get; }

    /// <summary>e.g. <c>D95B</c>.</summary>
    public string Directory { get; }

    /// <summary>CODECO/COARRI: the status events, in message order.</summary>
    public IReadOnlyList<ContainerStatusEvent>? Events { get; init; }

    /// <summary>CUSRES: one notification per container named.</summary>
    public IReadOnlyList<CustomsNotification>? Notifications { get; init; }

    /// <summary>CUSRES: application errors customs reports (ERP/ERC).</summary>
    public IReadOnlyList<CustomsResponseError>? CustomsErrors { get; init; }

    /// <summary>CUSCAR, IFTMCS, IFTMAN: the manifest (a single consignment for IFTMCS/IFTMAN).</summary>
    public CargoManifest? Manifest { get; init; }

    /// <summary>A CUSCAR with BGM 21: the gate's live status query (read only by <see cref="EdifactTranslator.TranslateLiveQuery"/>).</summary>
    public CustomsStatusQueryMessage? StatusQuery { get; init; }

    /// <summary>A CUSRES read as customs' answer to the live query (raw status code), by <see cref="EdifactTranslator.TranslateLiveQuery"/>.</summary>
    public CustomsStatusAnswerMessage? StatusAnswer { get; init; }

    /// <summary>Structure and mapping findings of this message, in order.</summary>
    public IReadOnlyList<EdifactDiagnostic> Diagnostics { get; }

    public bool HasErrors => Diagnostics.Any(d => d.Severity == EdifactSeverity.Error);
}

/// <summary>
/// Maps structured EDIFACT messages to the canonical model: CODECO/COARRI to status events, CUSRES to customs
/// notifications, CUSCAR (and IFTMCS/IFTMAN) to a cargo manifest. Findings are diagnostics, never exceptions.
/// Thread-safe.
/// </summary>
public sealed class EdifactTranslator
{
    private readonly CustomsAuthorityOptions _authority;
    private readonly TimeProvider _time;

    /// <param name="authority">The customs authority's status code map (section <c>CustomsAuthority</c>); UN 7365 defaults when null.</param>
    /// <param name="time">For the received time of notifications.</param>
    public EdifactTranslator(CustomsAuthorityOptions? authority = null, TimeProvider? time = null)
    {
        _authority = authority ?? new CustomsAuthorityOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// How far in the future a CUSRES issue time may lie (<c>Gate:MaxNotificationClockSkew</c>); null: not checked
    /// (offline translation of old or test files).
    /// </summary>
    public TimeSpan? MaxIssuedAtSkew { get; init; }

    /// <summary>The senders' time zones (<c>PartnerTimeZones</c>); none configured when not set.</summary>
    public PartnerClocks Clocks { get; init; } = PartnerClocks.Unconfigured;

    /// <summary>The deployment's code lists (<c>CodeLists</c>); the shipped lists, unmapped codes held, when not set.</summary>
    public CodeListService CodeLists { get; init; } = CodeListService.Shipped;

    public static IReadOnlyList<string> SupportedTypes { get; } = ["CODECO", "COARRI", "CUSRES", "CUSCAR", "IFTMCS", "IFTMAN"];

    public TranslatedMessage Translate(StructuredMessage message) => Translate(message, null);

    /// <param name="message">The message.</param>
    /// <param name="fileClock">
    /// The sender's clock shared by a whole file: its findings (times read without a configured zone, daylight-saving
    /// guesses) are then the caller's to report once per file. Null: the sender is the customs authority for a CUSRES
    /// and unknown otherwise (the port's zone), and this message reports them once.
    /// </param>
    public TranslatedMessage Translate(StructuredMessage message, SenderClock? fileClock) => Translate(message, fileClock, null);

    /// <param name="message">The message.</param>
    /// <param name="fileClock">As in <see cref="Translate(StructuredMessage, SenderClock?)"/>.</param>
    /// <param name="keeps">
    /// The report's check "will a finding with this code be kept?" (<see cref="Batch.BatchFindings.WouldKeep"/>): a
    /// finding it answers no is still returned (code, severity, position) but with an empty text, never formatted.
    /// The answer must not turn from no to yes later in the file. Null: every text is formatted.
    /// </param>
    public TranslatedMessage Translate(StructuredMessage message, SenderClock? fileClock, Func<string, bool>? keeps)
    {
        ArgumentNullException.ThrowIfNull(message);
        var diagnostics = message.StructureDiagnosticsFor(keeps);
        var clock = fileClock ?? (message.MessageType == "CUSRES" ? Clocks.ForCustomsAuthority(_authority.Name) : Clocks.ForUnknownSender());
        var context = new MappingContext(message, diagnostics, clock, CodeLists, keeps);
        var translated = TranslateIn(context, message);
        if (fileClock is null)
        {
            context.ReportClock();
        }
        return translated;
    }

    /// <summary>
    /// The findings <see cref="Translate(StructuredMessage, SenderClock?, Func{string, bool}?)"/> would return, the same
    /// ones in the same order, without building the status events (what <c>validate</c> asks for).
    /// </summary>
    public IReadOnlyList<EdifactDiagnostic> Check(StructuredMessage message, SenderClock? fileClock, Func<string, bool>? keeps)
    {
        ArgumentNullException.ThrowIfNull(message);
        var diagnostics = message.StructureDiagnosticsFor(keeps);
        var clock = fileClock ?? (message.MessageType == "CUSRES" ? Clocks.ForCustomsAuthority(_authority.Name) : Clocks.ForUnknownSender());
        var context = new MappingContext(message, diagnostics, clock, CodeLists, keeps) { FindingsOnly = true };
        _ = TranslateIn(context, message);
        if (fileClock is null)
        {
            context.ReportClock();
        }
        return diagnostics;
    }

    private TranslatedMessage TranslateIn(MappingContext context, StructuredMessage message)
    {
        var diagnostics = context.Diagnostics;
        var type = message.MessageType;
        var directory = message.Directory;
        if (message.Structure.Structure is null)
        {
            // No table for it (the structure finding says why): nothing can be placed, so nothing is mapped.
            return new TranslatedMessage(type, message.Reference, directory, diagnostics);
        }
        switch (type)
        {
            case "CODECO":
            case "COARRI":
                var events = StatusEventMapping.Read(context);
                return new TranslatedMessage(type, message.Reference, directory, diagnostics) { Events = events };
            case "CUSRES":
                var notifications = CustomsResponseMapping.Read(context, _authority, _time.GetUtcNow(), MaxIssuedAtSkew);
                return new TranslatedMessage(type, message.Reference, directory, diagnostics)
                {
                    Notifications = notifications,
                    CustomsErrors = CustomsErrorsOf(context),
                };
            case "CUSCAR":
            case "IFTMCS":
            case "IFTMAN":
                var manifest = type == "CUSCAR" ? CargoManifestMapping.Read(context) : TransportInstructionMapping.Read(context);
                return new TranslatedMessage(type, message.Reference, directory, diagnostics) { Manifest = manifest };
            default:
                var header = message.Message.Header;
                context.Error(MappingErrorCodes.UnsupportedMessage, $"{type} messages are not translated (supported: {string.Join(", ", SupportedTypes)}).", header, 2, 1);
                return new TranslatedMessage(type, message.Reference, directory, diagnostics);
        }
    }

    private static List<CustomsResponseError> CustomsErrorsOf(MappingContext context)
    {
        var errors = new List<CustomsResponseError>();
        foreach (var group in context.Root.DescendantGroupsOf("ERP"))
        {
            var erp = context.TriggerOf(group);
            foreach (var erc in context.Segments(group, "ERC"))
            {
                errors.Add(new CustomsResponseError(erc.GetValue(1, 1), MappingContext.NullIfEmpty(erp.GetValue(1, 1)), MappingContext.NullIfEmpty(erp.GetValue(1, 2))));
            }
        }
        return errors;
    }

    /// <summary>The raw customs answer of a CUSRES (status code as sent), for the live query's EDIFACT format.</summary>
    public CustomsResponse? ReadCustomsResponse(StructuredMessage message, List<EdifactDiagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var context = new MappingContext(message, diagnostics, Clocks.ForCustomsAuthority(_authority.Name), CodeLists);
        var response = CustomsResponseMapping.ReadResponse(context, _authority);
        context.ReportClock();
        return response;
    }

    /// <summary>
    /// A message of the gate's live query: a CUSCAR with BGM 21 (always a query, never a manifest), or, when
    /// <paramref name="cusresIsAnswer"/>, a CUSRES read as customs' answer (the raw status code, one container). Null
    /// for any other message, which <see cref="Translate(StructuredMessage)"/> handles. Findings are positioned.
    /// </summary>
    public TranslatedMessage? TranslateLiveQuery(StructuredMessage message, bool cusresIsAnswer)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (EdifactStatusQuery.IsQuery(message))
        {
            var diagnostics = new List<EdifactDiagnostic>(message.StructureDiagnostics);
            var query = EdifactStatusQuery.Read(message, diagnostics);
            return new TranslatedMessage(message.MessageType, message.Reference, message.Message.Directory, diagnostics) { StatusQuery = query };
        }
        if (cusresIsAnswer && message.MessageType == "CUSRES")
        {
            var diagnostics = new List<EdifactDiagnostic>(message.StructureDiagnostics);
            var answer = message.Structure.HasErrors ? null : ReadStatusAnswer(message, diagnostics);
            return new TranslatedMessage(message.MessageType, message.Reference, message.Message.Directory, diagnostics) { StatusAnswer = answer };
        }
        return null;
    }

    /// <summary>
    /// Customs' answer to the live query from a CUSRES: the raw status code (the authority's map decides later), the
    /// reference, the issue time in the authority's partner zone, exactly one container; else null with findings.
    /// </summary>
    public CustomsStatusAnswerMessage? ReadStatusAnswer(StructuredMessage message, List<EdifactDiagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var response = ReadCustomsResponse(message, diagnostics);
        if (response is null || diagnostics.Any(d => d.Severity == EdifactSeverity.Error))
        {
            return null;
        }
        if (response.Containers.Count != 1)
        {
            var second = message.Message.Segments.Where(s => s.Tag == "EQD").Skip(1).FirstOrDefault() ?? message.Message.Header;
            diagnostics.Add(new EdifactDiagnostic(MappingErrorCodes.FieldMissing, EdifactSeverity.Error,
                $"An answer to a status query names one container; this CUSRES names {response.Containers.Count}.", MappingContext.PositionOf(second, 0, 0)));
            return null;
        }
        return new CustomsStatusAnswerMessage(response.Containers[0].ToString(), response.StatusCode, response.CustomsReference, response.IssuedAt);
    }
}
