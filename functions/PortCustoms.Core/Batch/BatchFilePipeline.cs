using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Intake;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Residency;
using PortCustoms.Core.Time;
using PortCustoms.Core.Translation;
using PortCustoms.Core.Versions;
using PortCustoms.Edifact;
using PortCustoms.Edifact.Contrl;

namespace PortCustoms.Core.Batch;

/// <summary>
/// The batch-file flow without storage: detect a dropped file's format from its content, check it in one streaming
/// pass (<c>AnalyzeAsync</c>), and, when it may be applied, route it in a second streaming pass
/// (<see cref="ApplyAsync"/>) through the same Core services as the HTTP paths: status events onto the ordered queue,
/// CUSRES into customs notifications, manifests and discharge lists into the vessel-call store. Two passes because a
/// file with an error is quarantined whole and nothing of it applied, which a gigabyte file cannot learn in memory; an
/// EDIFACT file's status events are translated once, in pass 1, and staged on disk for pass 2 (<see cref="BatchEventStage"/>).
/// Every effect is idempotent (event ids, notification ids, document ids), so a second apply after a crash has no
/// second effect.
/// </summary>
public sealed class BatchFilePipeline
{
    /// <summary>Rejected messages reported one by one in a CONTRL; the rest are counted in the result.</summary>
    public const int MaxContrlMessages = 10_000;

    /// <summary>Messages whose references are looked up (and recorded) together, at most one table transaction's worth.</summary>
    public const int MessageReferenceChunk = 100;

    private const int EventChunk = 500;
    private const int MaxReferencesChecked = 100_000;
    private const string UnsupportedPrefix = "EDI-STR-";

    private readonly BatchOptions _options;
    private readonly EdifactTranslator _translator;
    private readonly ContainerEventPublisher _publisher;
    private readonly CustomsNotificationService _notifications;
    private readonly IVesselCallDocumentStore _documents;
    private readonly IDischargeListCompletion _completion;
    private readonly ResidencyGuard? _residency;

    public BatchFilePipeline(
        IOptions<BatchOptions> options,
        EdifactTranslator translator,
        ContainerEventPublisher publisher,
        CustomsNotificationService notifications,
        IVesselCallDocumentStore documents,
        IDischargeListCompletion completion,
        ResidencyGuard? residency = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _translator = translator ?? throw new ArgumentNullException(nameof(translator));
        _publisher = publisher ?? throw new ArgumentNullException(nameof(publisher));
        _notifications = notifications ?? throw new ArgumentNullException(nameof(notifications));
        _documents = documents ?? throw new ArgumentNullException(nameof(documents));
        _completion = completion ?? throw new ArgumentNullException(nameof(completion));
        _residency = residency;
    }

    public BatchOptions Options => _options;

    /// <summary>
    /// The latest acceptable event time (now plus <c>ContainerEvents:MaxClockSkew</c>), read per file; null: no limit.
    /// The same rule as <c>POST /api/v1/events</c>: an event dated in the future is refused, whichever way it comes in.
    /// </summary>
    public Func<DateTimeOffset?> EventsNotAfter { get; init; } = static () => null;

    /// <summary>The authority's signatures; with them required, an EDIFACT file of a customs-channel broker must carry a valid AUTACK.</summary>
    public InboundSignatureVerifier? Signatures { get; init; }

    /// <summary>An AUTACK is checked over the file in memory: a customs channel's file past this size is refused unread.</summary>
    public const int MaxSignedFileBytes = 64 * 1024 * 1024;

    /// <summary>Which EDIFACT directory versions are accepted now, per message type (<c>MessageVersions</c>); all when not set.</summary>
    public MessageVersionPolicy Versions { get; init; } = MessageVersionPolicy.None;

    /// <summary>Pass 1: reads the whole file once (hashing it on the way), applies nothing.</summary>
    public Task<BatchAnalysis> AnalyzeAsync(BatchFile file, Stream content, CancellationToken cancellationToken = default) =>
        AnalyzeAsync(file, content, null, cancellationToken);

    /// <summary>
    /// Pass 1, with EDIFACT message references checked against earlier files (<paramref name="references"/>): a message
    /// whose sender, type and reference an earlier applied file used is rejected (<see cref="BatchErrorCodes.DuplicateMessageReference"/>).
    /// </summary>
    public async Task<BatchAnalysis> AnalyzeAsync(BatchFile file, Stream content, IBatchMessageReferences? references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(content);
        _residency?.EnsureAllowed();
        var options = _options.For(file.Broker);
        var analysis = new BatchAnalysis(file, options, new BatchFindings(_options.FindingsPerCode));
        if (file.Length > options.MaxFileSize)
        {
            // Not read at all: the limit exists so that such a file costs nothing.
            analysis.AddFileError(BatchFinding.Error(BatchErrorCodes.TooLarge,
                $"The file has {file.Length} bytes; broker '{file.Broker}' may send at most {options.MaxFileSize}."));
            analysis.Bytes = file.Length;
            return analysis;
        }
        if (file.UploaderProblem is { } uploader)
        {
            // Not read either: content someone else put in a broker's folder is never applied in that broker's name.
            analysis.AddFileError(BatchFinding.Error(BatchErrorCodes.UploaderNotBroker, uploader));
            analysis.Bytes = file.Length;
            return analysis;
        }

        using var hashing = new HashingReadStream(content);
        var head = new byte[BatchFormatDetector.HeadLength];
        var headLength = 0;
        int read;
        while (headLength < head.Length && (read = await hashing.ReadAsync(head.AsMemory(headLength), cancellationToken).ConfigureAwait(false)) > 0)
        {
            headLength += read;
        }
        analysis.Format = BatchFormatDetector.Detect(head.AsSpan(0, headLength));
        var stream = new PrefixedStream(head.AsMemory(0, headLength), hashing);
        if (headLength == 0)
        {
            analysis.AddFileError(BatchFinding.Error(BatchErrorCodes.Empty, "The file is empty."));
        }
        else if (analysis.Format == BatchFormat.Unknown)
        {
            analysis.AddFileError(BatchFinding.Error(BatchErrorCodes.UnknownFormat,
                "The content is neither UN/EDIFACT (UNA/UNB), a discharge-list CSV (header naming containerNumber) nor terminal JSON.", new BatchPosition(1, 0, 0, 0)));
        }
        else if (!options.Allows(analysis.Format))
        {
            analysis.AddFileError(BatchFinding.Error(BatchErrorCodes.FormatNotAllowed, $"Broker '{file.Broker}' may not send {analysis.Format} files."));
        }
        else if (analysis.Format == BatchFormat.Edifact && options.CustomsChannel && Signatures is { Required: true } signatures)
        {
            await AnalyzeSignedEdifactAsync(stream, file, analysis, signatures, references, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await (analysis.Format switch
            {
                BatchFormat.Edifact => AnalyzeEdifactAsync(stream, analysis, references, cancellationToken),
                BatchFormat.DischargeListCsv => AnalyzeCsvAsync(stream, analysis, cancellationToken),
                _ => AnalyzeJsonAsync(stream, analysis, cancellationToken),
            }).ConfigureAwait(false);
        }
        // The hash names the whole content, also when reading stopped early at a syntax error.
        await hashing.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        analysis.ContentHash = hashing.HashHex();
        analysis.Bytes = hashing.BytesRead;
        return analysis;
    }

    /// <summary>Pass 2: routes what <paramref name="analysis"/> accepted. Safe to repeat: every effect is keyed.</summary>
    public async Task<BatchRouting> ApplyAsync(BatchAnalysis analysis, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(content);
        if (analysis.Quarantine)
        {
            throw new InvalidOperationException("A file to quarantine is never applied.");
        }
        _residency?.EnsureAllowed();
        var routing = new BatchRouting();
        switch (analysis.Format)
        {
            case BatchFormat.Edifact:
                await ApplyEdifactAsync(content, analysis, routing, cancellationToken).ConfigureAwait(false);
                break;
            case BatchFormat.DischargeListCsv:
                var rows = DischargeListCsvReader.ReadAsync(content, _ => { }, analysis.Options.Envelope == EdifactValidationMode.Strict, CsvClock(analysis), cancellationToken);
                await StoreDischargeListsAsync(rows, analysis, routing, cancellationToken).ConfigureAwait(false);
                break;
            case BatchFormat.TerminalJsonEvents:
                await ApplyJsonEventsAsync(content, routing, cancellationToken).ConfigureAwait(false);
                break;
            case BatchFormat.TerminalJsonDischargeList:
                await StoreDischargeListsAsync(ReadJsonDischargeListAsync(content, analysis, _ => { }, Versions, cancellationToken), analysis, routing, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException($"Nothing to apply for format {analysis.Format}.");
        }
        return routing;
    }

    /// <summary>The CONTRL interchanges answering the file's EDIFACT interchanges, one each (empty for other formats).</summary>
    public static IReadOnlyList<(BatchInterchange Interchange, byte[] Contrl)> BuildContrl(BatchAnalysis analysis, DateTimeOffset preparedAt)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var answers = new List<(BatchInterchange, byte[])>();
        if (analysis.Format != BatchFormat.Edifact)
        {
            return answers;
        }
        var number = 0;
        foreach (var interchange in analysis.Interchanges)
        {
            number++;
            if (interchange.ControlReference.Length == 0 || interchange.Sender.Identification.Length == 0)
            {
                continue; // No readable UNB: nobody to answer.
            }
            var envelopeError = interchange.EnvelopeError;
            if (envelopeError is null && (interchange.DuplicateOf is not null || (analysis.Quarantine && analysis.Options.Rejection == BatchRejection.Interchange)))
            {
                // Nothing of it was applied: UCI says rejected (4). ContrlBuilder rejects UCI only for an envelope error,
                // so the reason is given as one on UNB (a duplicate reference is 0085 code 26, else the messages' errors).
                envelopeError = new ContrlError(0, "UNB", interchange.DuplicateOf is not null ? 5 : 0, 0, interchange.DuplicateOf is not null ? 26 : EdifactSyntaxErrorCodes.InvalidValue);
            }
            else if (envelopeError is null && analysis.Quarantine)
            {
                envelopeError = new ContrlError(0, "UNB", 0, 0, EdifactSyntaxErrorCodes.InvalidValue);
            }
            var acknowledged = new ContrlInterchange(interchange.ControlReference, interchange.Sender, interchange.Recipient, interchange.RejectedMessages)
            {
                InterchangeError = envelopeError,
            };
            var contrl = ContrlBuilder.BuildFunctional(acknowledged, "1", interchange.SyntaxVersion);
            var reference = $"C{interchange.ControlReference}";
            answers.Add((interchange, ContrlWriter.WriteInterchange(contrl, acknowledged, reference.Length <= 14 ? reference : reference[..14], preparedAt, interchange.SyntaxVersion)));
        }
        return answers;
    }

    /// <summary>
    /// A customs channel's EDIFACT file: its AUTACK checked over the exact bytes (so read whole, bounded by
    /// <see cref="MaxSignedFileBytes"/>), then analysed as any other. A refused signature is a file error: quarantined, nothing applied.
    /// </summary>
    private async Task AnalyzeSignedEdifactAsync(Stream stream, BatchFile file, BatchAnalysis analysis, InboundSignatureVerifier signatures, IBatchMessageReferences? references, CancellationToken cancellationToken)
    {
        if (file.Length > MaxSignedFileBytes)
        {
            analysis.AddFileError(BatchFinding.Error(Security.SignatureErrorCodes.Malformed,
                $"The file has {file.Length} bytes; a signed file from the customs channel may have at most {MaxSignedFileBytes} (its AUTACK is checked in memory)."));
            return;
        }
        using var content = new MemoryStream();
        await stream.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
        var bytes = content.GetBuffer().AsMemory(0, (int)content.Length);
        var check = await signatures.VerifyAutackAsync(bytes, cancellationToken).ConfigureAwait(false);
        if (!check.Valid)
        {
            var at = check.Position;
            analysis.AddFileError(BatchFinding.Error(check.Code!, check.Detail, new BatchPosition(0, at?.Segment ?? 0, at?.Element ?? 0, at?.Component ?? 0)));
        }
        content.Position = 0;
        await AnalyzeEdifactAsync(content, analysis, references, cancellationToken).ConfigureAwait(false);
    }

    private async Task AnalyzeEdifactAsync(Stream stream, BatchAnalysis analysis, IBatchMessageReferences? earlier, CancellationToken cancellationToken)
    {
        var validation = new EdifactValidationOptions { Mode = analysis.Options.Envelope, MaxDiagnostics = 10_000 };
        var reader = new EdifactStreamReader(stream, validation, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            var references = new MessageReferenceSet();
            // Accepted messages wait here until their references are checked against earlier files, then are staged.
            var chunk = earlier is null ? 1 : MessageReferenceChunk;
            var accepted = new List<AcceptedMessage>(chunk);
            var notAfter = EventsNotAfter();
            BatchInterchange? current = null;
            long index = 0;
            var clock = _translator.Clocks.ForBroker(analysis.File.Broker);
            // Findings past their code's bound are counted, never formatted: the translator asks before it writes a text.
            Func<string, bool> keeps = analysis.Findings.WouldKeep;
            await foreach (var message in ReadMessagesAsync(reader, analysis, cancellationToken).ConfigureAwait(false))
            {
                index++;
                var header = message.Interchange;
                var offset = header?.Segment.Position.ByteOffset ?? -1;
                if (current is null || current.ByteOffset != offset)
                {
                    current = new BatchInterchange(
                        header?.ControlReference ?? string.Empty,
                        new ContrlParty(header?.SenderIdentification ?? string.Empty, header?.SenderQualifier ?? string.Empty),
                        new ContrlParty(header?.RecipientIdentification ?? string.Empty, header?.RecipientQualifier ?? string.Empty),
                        int.TryParse(header?.SyntaxVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v is >= 1 and <= 4 ? v : 3,
                        offset);
                    analysis.Interchanges.Add(current);
                    references.Clear();
                }
                current.Messages++;
                analysis.Items++;
                var translated = CheckMessage(message, index, analysis, current, references, notAfter, clock, keeps);
                if (translated is not null && earlier is not null)
                {
                    // Kept (its header is read for the reference check) and disposed once its chunk is accepted.
                    accepted.Add(new AcceptedMessage(index, current, message, translated));
                }
                else
                {
                    if (translated is not null)
                    {
                        // No earlier files to ask about its reference: staged at once.
                        Stage(translated, translated.Type, analysis);
                    }
                    // Nothing kept reads it (findings, events and CONTRL reports are copies): its tables go back to the pool.
                    message.Dispose();
                }
                if (accepted.Count >= chunk)
                {
                    await AcceptAsync(accepted, analysis, earlier, cancellationToken).ConfigureAwait(false);
                }
            }
            await AcceptAsync(accepted, analysis, earlier, cancellationToken).ConfigureAwait(false);
            ReportClock(analysis, clock);
            var result = reader.GetResult();
            foreach (var diagnostic in result.Diagnostics)
            {
                analysis.Findings.Add(diagnostic);
                if (diagnostic.Severity == EdifactSeverity.Error && !diagnostic.Code.StartsWith("EDI-ENV-UNT", StringComparison.Ordinal))
                {
                    // Envelope and syntax errors: the interchange (and so the file) cannot be trusted in parts.
                    analysis.FileErrors++;
                    var interchange = analysis.Interchanges.LastOrDefault(i => i.ByteOffset <= diagnostic.Position.ByteOffset);
                    if (interchange is not null && interchange.EnvelopeError is null)
                    {
                        interchange.EnvelopeError = new ContrlError(0, diagnostic.Code.Contains("UNZ", StringComparison.Ordinal) ? "UNZ" : "UNB", 0, 0, diagnostic.SyntaxErrorCode ?? EdifactSyntaxErrorCodes.InvalidValue);
                    }
                }
            }
            if (result.DiagnosticsDropped > 0)
            {
                // The engine keeps a bounded list and counts the rest without their codes.
                analysis.Findings.AddUncounted("EDI-MORE-FINDINGS", !result.IsValid && result.Errors.Count == 0, result.DiagnosticsDropped);
            }
            if (!result.IsValid && result.Errors.Count == 0)
            {
                analysis.FileErrors++;
            }
            if (result.MessageCount == 0 && analysis.FileErrors == 0)
            {
                analysis.AddFileError(BatchFinding.Error(BatchErrorCodes.NoMessages, "The file holds no EDIFACT message."));
            }
        }
    }

    /// <summary>The messages, with a syntax error the tokenizer cannot pass recorded as a file error (reading stops there).</summary>
    private static async IAsyncEnumerable<EdifactMessage> ReadMessagesAsync(EdifactStreamReader reader, BatchAnalysis? analysis, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var messages = reader.ReadMessagesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (messages.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await messages.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (EdifactException ex)
                {
                    analysis?.AddFileError(new BatchFinding(ex.Code, true, ex.Message, BatchPosition.Of(ex.Position)));
                    yield break;
                }
                yield return messages.Current;
            }
        }
    }

    /// <summary>
    /// The broker's clock for CSV times without an offset, when a zone applies (the broker's or the port's); null: none
    /// configured, and such a time is refused as contracts/files.md says (an offset is required).
    /// </summary>
    private SenderClock? CsvClock(BatchAnalysis analysis) =>
        _translator.Clocks.ForBroker(analysis.File.Broker) is { Source: not SenderZoneSource.None } clock ? clock : null;

    /// <summary>The file's time-zone findings: once each, with the count, however many times were read.</summary>
    private static void ReportClock(BatchAnalysis analysis, SenderClock clock)
    {
        if (clock.DescribeAssumed() is { } assumed)
        {
            analysis.Findings.Add(BatchFinding.Warning(BatchErrorCodes.TimeZoneAssumed, assumed));
        }
        if (clock.DescribeDaylightSaving() is { } dst)
        {
            analysis.Findings.Add(BatchFinding.Warning(BatchErrorCodes.TimeDaylightSaving, dst));
        }
    }

    /// <summary>A message pass 1 accepted, held until its reference is checked against earlier files (a chunk at a time).</summary>
    private sealed record AcceptedMessage(long Index, BatchInterchange Interchange, EdifactMessage Message, TranslatedMessage? Translated)
    {
        public EdifactSegment Header => Message.Header;

        public BatchMessageReference Key => new(Interchange.Sender.Identification, Header.GetValue(2, 1), Header.GetValue(1));
    }

    /// <summary>
    /// Checks the chunk's references against earlier files (rejecting a reused one at its UNH, as CONTRL code 26), records
    /// the rest as this file's when it may still be applied, and stages what they give for pass 2.
    /// </summary>
    private static async Task AcceptAsync(List<AcceptedMessage> accepted, BatchAnalysis analysis, IBatchMessageReferences? earlier, CancellationToken cancellationToken)
    {
        if (accepted.Count == 0)
        {
            return;
        }
        if (earlier is not null)
        {
            var used = await earlier.FindUsedAsync([.. accepted.Select(a => a.Key)], cancellationToken).ConfigureAwait(false);
            List<BatchMessageReference> fresh = [];
            for (var i = 0; i < accepted.Count; i++)
            {
                var message = accepted[i];
                if (used[i] is not { } usedBy)
                {
                    fresh.Add(message.Key);
                    continue;
                }
                var key = message.Key;
                var at = message.Header.Position.At(1);
                analysis.Findings.Add(BatchErrorCodes.DuplicateMessageReference, true,
                    $"{key.MessageType} message reference '{key.Reference}' of sender '{key.Sender}' was already received in an earlier file ({usedBy}).",
                    BatchPosition.Of(at, message.Index));
                if (Reject(analysis, message.Interchange, message.Index))
                {
                    message.Interchange.RejectedMessages.Add(new ContrlMessageReport(key.Reference, key.MessageType, message.Header.GetValue(2, 2), message.Header.GetValue(2, 3),
                        [new ContrlError(1, "UNH", at.Element, at.Component, 26)])
                    {
                        ControllingAgency = message.Header.GetValue(2, 4) is { Length: > 0 } agency ? agency : "UN",
                    });
                }
                accepted[i] = message with { Translated = null };
            }
            // A file that will be quarantined whatever else happens leaves no references behind (they would not count anyway).
            var applicable = analysis.FileErrors == 0 && !(analysis.Findings.HasErrors && analysis.Options.Rejection == BatchRejection.Interchange);
            if (fresh.Count > 0 && applicable)
            {
                await earlier.RecordAsync(fresh, cancellationToken).ConfigureAwait(false);
            }
        }
        foreach (var message in accepted)
        {
            if (message.Translated is { } translated)
            {
                Stage(translated, message.Key.MessageType, analysis);
            }
            message.Message.Dispose();
        }
        accepted.Clear();
    }

    /// <summary>Records a rejected message; true when its CONTRL report is still to be listed (the caller builds it then only).</summary>
    private static bool Reject(BatchAnalysis analysis, BatchInterchange interchange, long index)
    {
        analysis.RejectItem(index);
        interchange.RejectedCount++;
        return interchange.RejectedMessages.Count < MaxContrlMessages;
    }

    /// <summary>Checks one message; returns its translation when it is accepted (to be staged), null when rejected.</summary>
    private TranslatedMessage? CheckMessage(EdifactMessage message, long index, BatchAnalysis analysis, BatchInterchange interchange, MessageReferenceSet references, DateTimeOffset? notAfter, SenderClock clock, Func<string, bool> keeps)
    {
        // One shared string per known type, the reference made once (the header's values would be a string per call).
        var type = message.MessageType;
        analysis.MessageTypes[type] = analysis.MessageTypes.GetValueOrDefault(type) + 1;
        if (type == Security.Autack.MessageType)
        {
            return null; // Secures the other messages (checked for a customs channel); applies nothing itself.
        }
        var structured = StructuredMessage.Create(message);
        var start = message.Header.Position.Segment;
        // Created at the first error only: most messages of a large file have none.
        List<ContrlError>? contrlErrors = null;
        var rejected = false;
        var engineDiagnostics = message.Diagnostics;
        for (var i = 0; i < engineDiagnostics.Count; i++)
        {
            if (engineDiagnostics[i].Severity == EdifactSeverity.Error)
            {
                rejected = true;
                contrlErrors = [new ContrlError(message.Segments.Count, "UNT", 0, 0, engineDiagnostics[i].SyntaxErrorCode ?? EdifactSyntaxErrorCodes.InvalidValue)];
                break;
            }
        }

        TranslatedMessage? translated = null;

        // Each finding's text is formatted only when the report keeps it (a whole file can repeat one).
        void Refuse(EdifactPosition position, int syntaxCode)
        {
            (contrlErrors ??= []).Add(new ContrlError(1, "UNH", position.Element, position.Component, syntaxCode));
            rejected = true;
        }

        if (references.Count < MaxReferencesChecked && !references.Add(structured.Reference))
        {
            var at = message.Header.Position.At(1);
            analysis.Findings.Add(BatchErrorCodes.DuplicateMessageReference, true, $"Message reference '{structured.Reference}' is used twice in interchange '{interchange.ControlReference}'.",
                BatchPosition.Of(at, index));
            Refuse(at, 26);
        }
        if (!analysis.Options.AllowsMessageType(type))
        {
            var at = message.Header.Position.At(2, 1);
            analysis.Findings.Add(BatchErrorCodes.MessageTypeNotAllowed, true, $"Broker '{analysis.File.Broker}' may not send {type} messages.", BatchPosition.Of(at, index));
            Refuse(at, 15);
        }
        else if (Versions.Refusal(type, structured.Directory) is { } refusal)
        {
            // UNH S009 0052/0054: a directory outside the configured transition (MessageVersions); CONTRL 12 (invalid value).
            var at = message.Header.Position.At(2, 2);
            analysis.Findings.Add(new BatchFinding(BatchErrorCodes.MessageVersionNotAccepted, true, refusal, BatchPosition.Of(at, index)));
            Refuse(at, EdifactSyntaxErrorCodes.InvalidValue);
        }
        else
        {
            translated = _translator.Translate(structured, clock, keeps);
            var diagnostics = translated.Diagnostics;
            for (var i = 0; i < diagnostics.Count; i++)
            {
                var diagnostic = diagnostics[i];
                analysis.Findings.Add(diagnostic, index);
                if (diagnostic.Severity != EdifactSeverity.Error)
                {
                    continue;
                }
                rejected = true;
                if (!diagnostic.Code.StartsWith(UnsupportedPrefix, StringComparison.Ordinal) && diagnostic.Segment >= start)
                {
                    (contrlErrors ??= []).Add(new ContrlError(diagnostic.Segment - start + 1, message.Segments.ElementAtOrDefault(diagnostic.Segment - start)?.Tag ?? "UNH",
                        diagnostic.Element ?? 0, diagnostic.Component ?? 0, diagnostic.SyntaxErrorCode ?? EdifactSyntaxErrorCodes.InvalidValue));
                }
            }
            var events = translated.Events ?? [];
            for (var i = 0; i < events.Count; i++)
            {
                var statusEvent = events[i];
                if (statusEvent.OccurredAt > notAfter)
                {
                    // The rule of POST /api/v1/events and of batch JSON events, with the same code, at the event's DTM.
                    var dtm = EventDate(structured, statusEvent);
                    var position = dtm is null ? message.Header.Position : MappingContext.PositionOf(dtm, 1, 2);
                    analysis.Findings.Add(BatchErrorCodes.EventInvalid, true,
                        $"{type} message '{structured.Reference}', event {statusEvent.EventId}: occurredAt: lies in the future (after {notAfter.Value.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}, PortCustoms' clock plus the allowed skew)",
                        BatchPosition.Of(position, index));
                    (contrlErrors ??= []).Add(new ContrlError(Math.Max(1, position.Segment - start + 1), dtm?.Tag ?? "UNH", dtm is null ? 0 : 1, dtm is null ? 0 : 2, EdifactSyntaxErrorCodes.InvalidValue));
                    rejected = true;
                }
            }
            if (translated.Manifest is { } manifest && !translated.HasErrors && (manifest.Vessel.Imo.IsEmpty || string.IsNullOrWhiteSpace(manifest.Voyage)))
            {
                analysis.Findings.Add(BatchErrorCodes.ManifestWithoutVesselCall, true,
                    $"{type} message '{structured.Reference}' names no vessel IMO number and voyage: it cannot be filed under a vessel call.", BatchPosition.Of(message.Header.Position, index));
                Refuse(message.Header.Position, EdifactSyntaxErrorCodes.Missing);
            }
        }
        if (rejected)
        {
            if (Reject(analysis, interchange, index))
            {
                var report = structured.Structure.ToContrlReport();
                interchange.RejectedMessages.Add(report with { Errors = [.. report.Errors, .. contrlErrors ?? []] });
            }
            return null;
        }
        return translated;
    }

    /// <summary>The DTM an event's time was read from: in its container's EQD group, effective/arrival/departure first (as the mapping prefers).</summary>
    private static EdifactSegment? EventDate(StructuredMessage structured, ContainerStatusEvent statusEvent)
    {
        var segments = structured.Message.Segments;
        var container = statusEvent.ContainerNumber.ToString();
        foreach (var equipment in structured.Root.GroupsOf("EQD"))
        {
            if (segments[equipment.SegmentPositions[0] - 1].GetValue(2, 1) != container)
            {
                continue;
            }
            EdifactSegment? any = null;
            foreach (var position in equipment.SegmentPositions)
            {
                var segment = segments[position - 1];
                if (segment.Tag != "DTM")
                {
                    continue;
                }
                if (segment.GetValue(1, 1) is EdifactCodes.Effective or EdifactCodes.ArrivalActual or EdifactCodes.DepartureActual)
                {
                    return segment;
                }
                any ??= segment;
            }
            return any ?? segments[equipment.SegmentPositions[0] - 1];
        }
        return null;
    }

    /// <summary>What pass 2 will apply of an accepted message: its events go to the stage, anything else is re-read then.</summary>
    private static void Stage(TranslatedMessage translated, string type, BatchAnalysis analysis)
    {
        if (translated.Events is { Count: > 0 } events)
        {
            analysis.EventStage ??= new BatchEventStage();
            for (var i = 0; i < events.Count; i++)
            {
                analysis.EventStage.Add(events[i]);
            }
        }
        if (translated.Notifications is { Count: > 0 } || translated.Manifest is not null)
        {
            analysis.TypesToApplyFromContent.Add(type);
        }
    }

    private async Task ApplyEdifactAsync(Stream content, BatchAnalysis analysis, BatchRouting routing, CancellationToken cancellationToken)
    {
        var pending = new List<ContainerStatusEvent>(EventChunk);
        if (analysis.EventStage is { } stage)
        {
            // Translated once, in pass 1: the accepted messages' events are published from the stage.
            foreach (var statusEvent in stage.Read())
            {
                pending.Add(statusEvent);
                if (pending.Count >= EventChunk)
                {
                    await PublishAsync(pending, routing, cancellationToken).ConfigureAwait(false);
                }
            }
            await PublishAsync(pending, routing, cancellationToken).ConfigureAwait(false);
            if (analysis.TypesToApplyFromContent.Count == 0)
            {
                return;
            }
        }
        var validation = new EdifactValidationOptions { Mode = analysis.Options.Envelope, MaxDiagnostics = 1 };
        var reader = new EdifactStreamReader(content, validation, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            long index = 0;
            // The same zone as the analysis read them in (its findings were reported there).
            var clock = _translator.Clocks.ForBroker(analysis.File.Broker);
            await foreach (var message in ReadMessagesAsync(reader, null, cancellationToken).ConfigureAwait(false))
            {
                // What is published or stored is the translation's (copies): the message goes back to the pool after it.
                using var read = message;
                index++;
                if (analysis.IsRejected(index) || message.MessageType == Security.Autack.MessageType
                    || (analysis.EventStage is not null && !analysis.TypesToApplyFromContent.Contains(message.MessageType)))
                {
                    continue;
                }
                var translated = _translator.Translate(StructuredMessage.Create(message), clock);
                if (translated.Events is { } events && analysis.EventStage is null)
                {
                    pending.AddRange(events);
                    if (pending.Count >= EventChunk)
                    {
                        await PublishAsync(pending, routing, cancellationToken).ConfigureAwait(false);
                    }
                }
                foreach (var notification in translated.Notifications ?? [])
                {
                    await _notifications.ReceiveAsync(notification, cancellationToken).ConfigureAwait(false);
                    routing.Notifications++;
                }
                if (translated.Manifest is { } manifest)
                {
                    var call = new VesselCall(manifest.Vessel.Imo, manifest.Voyage!);
                    var id = $"{analysis.ContentHash![..16]}-{message.Interchange?.ControlReference}-{message.Reference}";
                    await _documents.PutManifestAsync(call, id, analysis.File.Source, manifest, cancellationToken).ConfigureAwait(false);
                    routing.Manifests++;
                    routing.VesselCalls.Add(call.Key);
                }
            }
            await PublishAsync(pending, routing, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PublishAsync(List<ContainerStatusEvent> pending, BatchRouting routing, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }
        // MessageId = event id on the queue: a repeat after a crash is dropped by duplicate detection.
        await _publisher.PublishAsync([.. pending], cancellationToken).ConfigureAwait(false);
        routing.StatusEvents += pending.Count;
        pending.Clear();
    }

    private async Task AnalyzeCsvAsync(Stream stream, BatchAnalysis analysis, CancellationToken cancellationToken)
    {
        var strict = analysis.Options.Envelope == EdifactValidationMode.Strict;
        var clock = CsvClock(analysis);
        await foreach (var _ in DischargeListCsvReader.ReadAsync(stream, analysis.Findings.Add, strict, clock, cancellationToken).ConfigureAwait(false))
        {
            analysis.Items++;
        }
        if (clock is not null)
        {
            ReportClock(analysis, clock);
        }
        analysis.MessageTypes["DISCHARGE-LIST-ROW"] = analysis.Items;
        if (analysis.Items == 0 && !analysis.Findings.HasErrors)
        {
            analysis.AddFileError(BatchFinding.Error(BatchErrorCodes.NoMessages, "The discharge list has a header but no rows."));
        }
    }

    private async Task AnalyzeJsonAsync(Stream stream, BatchAnalysis analysis, CancellationToken cancellationToken)
    {
        if (analysis.Format == BatchFormat.TerminalJsonDischargeList)
        {
            await foreach (var _ in ReadJsonDischargeListAsync(stream, analysis, analysis.Findings.Add, Versions, cancellationToken).ConfigureAwait(false))
            {
                analysis.Items++;
            }
            analysis.MessageTypes["DISCHARGE-LIST-ROW"] = analysis.Items;
        }
        else
        {
            var notAfter = EventsNotAfter();
            var warnings = new List<EventWarning>();
            var malformed = await JsonItemReader.ReadPositionedAsync(stream, dischargeList: false, (item, at) =>
            {
                warnings.Clear();
                var index = at.Index;
                analysis.Items++;
                CheckSchema(item, at, JsonBodySchema.ContainerStatusEvent, "Event", asError: true, analysis.Findings.Add);
                if (ContainerStatusEventReader.TryReadSingle(item.Span, notAfter, _translator.CodeLists, warnings, Versions, out _, out var notAnEvent, out var failure))
                {
                    foreach (var warning in warnings)
                    {
                        analysis.Findings.Add(BatchErrorCodes.EventSizeTypeUnknown, false, $"Event {index} ({warning.EventId}): {warning.Field}: {warning.Message}", new BatchPosition(0, 0, 0, 0, index, warning.Field));
                    }
                }
                else
                {
                    if (notAnEvent is not null)
                    {
                        analysis.Findings.Add(BatchErrorCodes.EventInvalid, true, $"Item {index}: {notAnEvent}", new BatchPosition(0, 0, 0, 0, index));
                    }
                    foreach (var error in failure?.Errors ?? [])
                    {
                        analysis.Findings.Add(BatchErrorCodes.EventInvalid, true, $"Event {index} ({failure!.EventId ?? "no id"}): {error.Field}: {error.Message}", new BatchPosition(0, 0, 0, 0, index, error.Field));
                    }
                }
                return ValueTask.CompletedTask;
            }, onProperty: null, cancellationToken).ConfigureAwait(false);
            if (malformed is not null)
            {
                analysis.AddFileError(malformed);
            }
            analysis.MessageTypes["STATUS-EVENT"] = analysis.Items;
        }
        if (analysis.Items == 0 && !analysis.Findings.HasErrors)
        {
            analysis.AddFileError(BatchFinding.Error(BatchErrorCodes.NoMessages, "The file holds no events or containers."));
        }
    }

    private async Task ApplyJsonEventsAsync(Stream content, BatchRouting routing, CancellationToken cancellationToken)
    {
        var pending = new List<ContainerStatusEvent>(EventChunk);
        await JsonItemReader.ReadAsync(content, dischargeList: false, async (item, index) =>
        {
            if (ContainerStatusEventReader.TryReadSingle(item.Span, out var statusEvent, out _, out _) && statusEvent is not null)
            {
                pending.Add(statusEvent);
                if (pending.Count >= EventChunk)
                {
                    await PublishAsync(pending, routing, cancellationToken).ConfigureAwait(false);
                }
            }
        }, onProperty: null, cancellationToken).ConfigureAwait(false);
        await PublishAsync(pending, routing, cancellationToken).ConfigureAwait(false);
    }

    private static async IAsyncEnumerable<DischargeListEntry> ReadJsonDischargeListAsync(Stream stream, BatchAnalysis analysis, Action<BatchFinding> report, MessageVersionPolicy versions, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // JsonItemReader pushes; a small channel of one turns that into rows pulled here, one at a time.
        var channel = System.Threading.Channels.Channel.CreateBounded<DischargeListEntry>(1);
        var top = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var strict = analysis.Options.Envelope == EdifactValidationMode.Strict;
        // Cancelled when the consumer stops early, so the reading task never waits on a channel nobody reads.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancellationToken = stop.Token;
        var reading = Task.Run(async () =>
        {
            try
            {
                var malformed = await JsonItemReader.ReadPositionedAsync(stream, dischargeList: true, async (item, at) =>
                {
                    var index = at.Index;
                    CheckSchema(item, at, JsonBodySchema.DischargeListContainer, "Container", strict, report);
                    var values = ReadObject(item.Span);
                    if (values is null)
                    {
                        report(BatchFinding.Error(BatchErrorCodes.JsonMalformed, $"Container {index} is not a JSON object.", new BatchPosition(0, 0, 0, 0, index)));
                        return;
                    }
                    var entry = DischargeListCsvReader.ReadRow(
                        name => values.TryGetValue(name, out var v) ? v : top.GetValueOrDefault(name),
                        _ => 0,
                        index,
                        0,
                        report,
                        strict);
                    await channel.Writer.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
                }, (name, value) =>
                {
                    top[name] = value;
                    // The file's declared version (JsonSchemaVersions): absent, read as before.
                    if (name == JsonSchemaVersions.Property && JsonSchemaVersions.Refuse(JsonSchemaVersions.DischargeList, value ?? string.Empty, versions) is { } refused)
                    {
                        report(BatchFinding.Error(refused.Code, refused.Reason, new BatchPosition(0, 0, 0, 0, 0, name)));
                        analysis.FileErrors++;
                    }
                }, cancellationToken).ConfigureAwait(false);
                if (malformed is not null)
                {
                    report(malformed);
                    analysis.FileErrors++;
                }
                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
            }
        }, cancellationToken);
        try
        {
            await foreach (var entry in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return entry;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await reading.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped early on purpose.
            }
        }
    }

    /// <summary>
    /// The schema pass over one item as the file streams by (the item alone is parsed, never the file): each finding with
    /// its stable code, the line where the value at fault is in the file, and the field. Row findings of a lenient broker
    /// are warnings, as the column checks' are.
    /// </summary>
    private static void CheckSchema(ReadOnlyMemory<byte> item, JsonItemPosition at, JsonBodySchema schema, string what, bool asError, Action<BatchFinding> report)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(item);
        }
        catch (JsonException)
        {
            // Not JSON on its own: the item's reader names that.
            return;
        }
        using (document)
        {
            foreach (var finding in schema.Validate(document.RootElement, out _))
            {
                var (line, column) = JsonLocation.Of(item.Span, finding.Location);
                var fileLine = at.Line + line - 1;
                var fileColumn = line == 1 ? at.Column + column - 1 : column;
                var message = $"{what} {at.Index} at {(finding.Location.Length == 0 ? "/" : finding.Location)} (line {fileLine}, column {fileColumn}): {finding.Message}";
                var position = new BatchPosition(fileLine, 0, 0, 0, at.Index, finding.Location.Length == 0 ? null : finding.Field);
                report(asError ? BatchFinding.Error(finding.Code, message, position) : BatchFinding.Warning(finding.Code, message, position));
            }
        }
    }

    /// <summary>A container object's properties as text (arrays of strings joined with ';', as the CSV writes seals).</summary>
    private static Dictionary<string, string?>? ReadObject(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            using var document = JsonDocument.ParseValue(ref reader);
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                values[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Null => null,
                    JsonValueKind.Array => string.Join(';', property.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
                    _ => property.Value.GetRawText(),
                };
            }
            return values;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task StoreDischargeListsAsync(IAsyncEnumerable<DischargeListEntry> rows, BatchAnalysis analysis, BatchRouting routing, CancellationToken cancellationToken)
    {
        // A discharge list is stored whole per vessel call (the store's unit), so its rows are gathered here.
        var calls = new Dictionary<string, (VesselCall Call, List<DischargedContainer> Containers)>(StringComparer.Ordinal);
        await foreach (var entry in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (entry.VesselCall is not { } call)
            {
                continue;
            }
            if (!calls.TryGetValue(call.Key, out var list))
            {
                calls[call.Key] = list = (call, []);
            }
            list.Containers.Add(entry.Container);
        }
        foreach (var (key, (call, containers)) in calls.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var id = $"{analysis.ContentHash![..16]}-{key}";
            await _documents.PutDischargeListAsync(call, id, analysis.File.Source, new DischargeList { VesselCall = call, Containers = containers }, cancellationToken).ConfigureAwait(false);
            routing.DischargeLists++;
            routing.VesselCalls.Add(key);
        }
    }

    /// <summary>After the ledger has recorded the outcome: tells reconciliation which calls have a complete discharge list.</summary>
    public async Task CompleteDischargeListsAsync(IEnumerable<string> vesselCallKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vesselCallKeys);
        foreach (var key in vesselCallKeys)
        {
            var dash = key.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && Model.ImoNumber.TryParse(key[..dash], out var imo))
            {
                await _completion.DischargeListCompletedAsync(new VesselCall(imo, key[(dash + 1)..]), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
