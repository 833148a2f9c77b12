using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Options;
using PortCustoms.Core.CodeLists;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Time;
using PortCustoms.Core.Model;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;

namespace PortCustoms.Core.CustomsPlatform;

/// <summary>The EDIFACT envelope the customs adapter writes (configuration section <c>CustomsPlatform:Edifact</c>).</summary>
public sealed class EdifactFormatOptions : IValidatableObject
{
    public const string SectionName = "CustomsPlatform:Edifact";

    /// <summary>UNB sender: this port's identification at customs.</summary>
    public string Sender { get; set; } = "PORTCUSTOMS";

    /// <summary>UNB recipient: the customs platform.</summary>
    public string Recipient { get; set; } = "CUSTOMS";

    /// <summary>The directory written: D95B (default), D96B, D00B or D01B. Every supported directory is read.</summary>
    public string Directory { get; set; } = "D95B";

    public IReadOnlyList<string> Validate() =>
        EdifactDirectory.TryParse(Directory, out _) ? [] : [$"CustomsPlatform:Edifact:Directory '{Directory}' is not one of D95B, D96B, D00B, D01B."];

    /// <summary>For the source-generated validator: the problems above as validation results.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => Validate().Select(p => new ValidationResult(p));
}

/// <summary>Validates <see cref="EdifactFormatOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class EdifactFormatOptionsValidator : IValidateOptions<EdifactFormatOptions>
{
}

/// <summary>
/// UN/EDIFACT on the customs platform's wire (<c>CustomsPlatform:Format = edifact</c>): the live status query goes out
/// as a CUSCAR query (BGM 1001 = 21, the container in EQD) and the answer comes back as a CUSRES (GIS 7365 the status
/// code, passed on raw for the authority's map to decide); status events go out as CODECO (gate) or COARRI (vessel)
/// and are read back from them. Malformed or unexpected content decodes to false, never an exception.
/// </summary>
public sealed class EdifactCustomsMessageFormat : CustomsMessageFormat
{
    public const string FormatName = "edifact";

    private readonly EdifactFormatOptions _options;
    private readonly EdifactDirectory _directory;
    private readonly TimeProvider _time;
    private readonly EdifactTranslator _translator;

    /// <param name="options">The envelope written.</param>
    /// <param name="time">The clock of envelopes and of answers without an issue time.</param>
    /// <param name="clocks">
    /// The senders' zones (<c>PartnerTimeZones</c>): a zoneless time in customs' answer is read in the authority's zone,
    /// else the port's, as the notification intake reads a CUSRES; UTC only when neither is configured.
    /// </param>
    /// <param name="authority">The customs authority (<c>CustomsAuthority</c>): its name picks its zone.</param>
    /// <param name="codeLists">The deployment's code lists.</param>
    public EdifactCustomsMessageFormat(EdifactFormatOptions? options = null, TimeProvider? time = null, PartnerClocks? clocks = null, CustomsAuthorityOptions? authority = null, CodeListService? codeLists = null)
    {
        _options = options ?? new EdifactFormatOptions();
        _directory = EdifactDirectory.TryParse(_options.Directory, out var directory) ? directory : EdifactDirectory.D95B;
        _time = time ?? TimeProvider.System;
        _translator = new EdifactTranslator(authority, _time) { Clocks = clocks ?? PartnerClocks.Unconfigured, CodeLists = codeLists ?? CodeListService.Shipped };
    }

    public override string Name => FormatName;

    public override string MediaType => "application/EDIFACT";

    public override ReadOnlyMemory<byte> Encode<TMessage>(TMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message)
        {
            case CustomsStatusQueryMessage query:
                return EdifactInterchangeWriter.Write(Envelope(ControlReferenceFrom(query.QueryId)), writer => EdifactStatusQuery.Write(writer, "1", _directory, query));
            case CustomsStatusAnswerMessage answer when ContainerNumber.TryParse(answer.ContainerNumber, out var container):
                return EdifactInterchangeWriter.Write(Envelope(ControlReferenceFrom(answer.CustomsReference ?? answer.ContainerNumber)), writer =>
                    CustomsResponseMapping.Write(writer, "1", _directory, answer.StatusCode, container, answer.CustomsReference, answer.IssuedAt ?? _time.GetUtcNow()));
            case ContainerStatusEvent statusEvent:
                var composition = new EdifactComposer().Compose([statusEvent], [], [], Envelope(ControlReferenceFrom(statusEvent.EventId)));
                return composition.MessageCount == 1
                    ? composition.Interchange
                    : throw new NotSupportedException(composition.Diagnostics.Count > 0
                        ? composition.Diagnostics[0].Message
                        : $"Events of type {statusEvent.Type.ToWireName()} have no EDIFACT status message.");
            default:
                throw new NotSupportedException($"{typeof(TMessage).Name} has no EDIFACT form.");
        }
    }

    public override bool TryDecode<TMessage>(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out TMessage? message)
        where TMessage : class
    {
        message = null;
        // In-memory input: the read completes synchronously.
        var document = EdifactDocument.ReadAsync(body).GetAwaiter().GetResult();
        if (!document.Validation.IsValid || document.Messages.Count != 1)
        {
            return false;
        }
        var structured = document.Messages[0];
        var diagnostics = new List<EdifactDiagnostic>(structured.StructureDiagnostics);
        if (structured.Structure.HasErrors)
        {
            return false;
        }
        var translator = _translator;
        object? decoded = null;
        if (typeof(TMessage) == typeof(CustomsStatusAnswerMessage) && structured.MessageType == "CUSRES")
        {
            decoded = translator.ReadStatusAnswer(structured, diagnostics);
        }
        else if (typeof(TMessage) == typeof(CustomsStatusQueryMessage) && structured.MessageType == "CUSCAR")
        {
            decoded = EdifactStatusQuery.Read(structured, diagnostics);
        }
        else if (typeof(TMessage) == typeof(ContainerStatusEvent) && structured.MessageType is "CODECO" or "COARRI")
        {
            var translated = translator.Translate(structured);
            if (!translated.HasErrors && translated.Events is [var single])
            {
                decoded = single;
            }
        }
        message = decoded as TMessage;
        return message is not null;
    }

    private EdifactInterchangeOptions Envelope(string controlReference) => new()
    {
        Sender = _options.Sender,
        Recipient = _options.Recipient,
        ControlReference = controlReference,
        PreparedAt = _time.GetUtcNow(),
        Directory = _directory,
        NewLineAfterSegment = false,
    };

    /// <summary>UNB 0020 is an..14: ids longer than that keep their last 14 letters and digits (the varying part of a v7 GUID).</summary>
    private static string ControlReferenceFrom(string id)
    {
        var text = new string([.. id.Where(char.IsAsciiLetterOrDigit)]);
        if (text.Length == 0)
        {
            return "1";
        }
        return (text.Length <= 14 ? text : text[^14..]).ToUpper(CultureInfo.InvariantCulture);
    }
}
