using System.Globalization;
using System.Text.Json;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Translation;
using PortCustoms.Core.Xml;
using PortCustoms.Edifact;

namespace PortCustoms.Cli.Files;

internal static class LiveQueryFiles
{
    // A live query or answer is a few hundred bytes; anything near this is not one.
    private const int MaxDocumentBytes = 1024 * 1024;

    /// <summary>The whole (small) document; a file past 1 MiB is cut there and the reader reports it as not well-formed.</summary>
    public static async Task<byte[]> ReadAllAsync(Stream content, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < MaxDocumentBytes && (read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

/// <summary>
/// The gate's live status query and customs' answer in <c>translate</c>: WCO XML <c>StatusQuery</c>/<c>StatusAnswer</c>
/// (<c>status-query:1</c>), their JSON form (what <see cref="JsonCustomsMessageFormat"/> sends, in a canonical entry
/// <c>statusQuery</c>/<c>statusAnswer</c>) and the adapter's EDIFACT (CUSCAR with BGM 21, CUSRES). Each travels alone:
/// a document holds one, and an input mixing one with other messages is reported, never merged.
/// </summary>
public sealed partial class FileTranslator
{
    /// <summary>The time a query from JSON is stamped with in XML (the JSON form carries none).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    private static async Task<FileTranslationResult> LiveXmlToJsonAsync(Stream content, Stream output, string root, CancellationToken cancellationToken)
    {
        var (query, answer, findings) = ReadLiveXml(await LiveQueryFiles.ReadAllAsync(content, cancellationToken).ConfigureAwait(false), root);
        if (query is null && answer is null)
        {
            return Result(false, FileFormat.Xml, [], [], findings);
        }
        var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteStartArray("messages"u8);
            json.WriteStartObject();
            json.WriteString("type"u8, query is not null ? "CUSCAR" : "CUSRES");
            json.WriteString("reference"u8, query?.QueryId ?? answer!.CustomsReference ?? answer!.ContainerNumber);
            json.WriteString("directory"u8, WcoStatusQueryXml.Namespace);
            if (query is not null)
            {
                json.WritePropertyName("statusQuery"u8);
                CanonicalJson.WriteStatusQuery(json, query);
            }
            else
            {
                json.WritePropertyName("statusAnswer"u8);
                CanonicalJson.WriteStatusAnswer(json, answer!);
            }
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        await output.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        return Result(true, FileFormat.Xml, [], [], findings);
    }

    private async Task<FileTranslationResult> LiveXmlToEdifactAsync(Stream content, Stream output, string root, EdifactInterchangeOptions options, CancellationToken cancellationToken)
    {
        var (query, answer, findings) = ReadLiveXml(await LiveQueryFiles.ReadAllAsync(content, cancellationToken).ConfigureAwait(false), root);
        if (query is null && answer is null)
        {
            return Result(false, FileFormat.Xml, [], [], findings);
        }
        var (written, diagnostics) = await WriteLiveEdifactAsync(query is null ? [] : [query], answer is null ? [] : [answer], output, options, cancellationToken).ConfigureAwait(false);
        return Result(written, FileFormat.Xml, diagnostics, [], findings);
    }

    private async Task<FileTranslationResult> LiveToEdifactAsync(IEnumerable<CustomsStatusQueryMessage> queries, IEnumerable<CustomsStatusAnswerMessage> answers, int others, FileFormat format, Stream output, EdifactInterchangeOptions options, CancellationToken cancellationToken)
    {
        if (others > 0)
        {
            return Result(false, format,
            [
                new EdifactDiagnostic(CliErrorCodes.MixedMessages, EdifactSeverity.Error,
                    $"The input mixes live status queries or answers with {others} other message(s): a live query travels in an interchange of its own (translate them separately).", default),
            ]);
        }
        var (written, diagnostics) = await WriteLiveEdifactAsync([.. queries], [.. answers], output, options, cancellationToken).ConfigureAwait(false);
        return Result(written, format, diagnostics);
    }

    /// <summary>The queries, then the answers, in one interchange, read back through the engine before it is handed on.</summary>
    private async Task<(bool Written, List<EdifactDiagnostic> Diagnostics)> WriteLiveEdifactAsync(IReadOnlyList<CustomsStatusQueryMessage> queries, IReadOnlyList<CustomsStatusAnswerMessage> answers, Stream output, EdifactInterchangeOptions options, CancellationToken cancellationToken)
    {
        var directory = options.Directory;
        // The EDIFACT answer needs an issue time (DTM 182); one the XML or JSON left out is the interchange's.
        var preparedAt = options.PreparedAt ?? Time.GetUtcNow();
        var interchange = EdifactInterchangeWriter.Write(options, writer =>
        {
            var reference = 0;
            foreach (var query in queries)
            {
                EdifactStatusQuery.Write(writer, (++reference).ToString(CultureInfo.InvariantCulture), directory, query);
            }
            foreach (var answer in answers)
            {
                // Read with its check digit checked: the parse cannot fail here.
                _ = PortCustoms.Core.Model.ContainerNumber.TryParse(answer.ContainerNumber, out var container);
                CustomsResponseMapping.Write(writer, (++reference).ToString(CultureInfo.InvariantCulture), directory, answer.StatusCode, container, answer.CustomsReference, answer.IssuedAt ?? preparedAt);
            }
        });
        var check = await EdifactDocument.ReadAsync(interchange, cancellationToken: cancellationToken).ConfigureAwait(false);
        var diagnostics = check.Validation.Diagnostics.ToList();
        if (diagnostics.Any(d => d.Severity == EdifactSeverity.Error))
        {
            return (false, diagnostics);
        }
        await output.WriteAsync(interchange, cancellationToken).ConfigureAwait(false);
        return (true, diagnostics);
    }

    private async Task<FileTranslationResult> LiveJsonToXmlAsync(CanonicalDocument canonical, Stream output, CancellationToken cancellationToken)
    {
        var findings = new XmlFindings();
        var live = new LiveQueryDocument(XmlMetadata, findings);
        foreach (var query in canonical.StatusQueries)
        {
            live.AddQuery(query.Value, Time.GetUtcNow(), submitter: null);
        }
        foreach (var answer in canonical.StatusAnswers)
        {
            live.AddAnswer(answer.Value);
        }
        if (canonical.Count > 0)
        {
            findings.Add(new XmlFinding(XmlErrorCodes.MixedMessages, EdifactSeverity.Error,
                $"{canonical.Count} other message(s) belong in another document; this one is a live {(canonical.StatusQueries.Count > 0 ? WcoStatusQueryXml.QueryRoot : WcoStatusQueryXml.AnswerRoot)}: not written (translate them separately).", 0, 0, "/"));
        }
        var written = live.HasDocument && await live.WriteAsync(output, cancellationToken).ConfigureAwait(false);
        return Result(written, FileFormat.Json, [], [], findings);
    }

    private static (CustomsStatusQueryMessage? Query, CustomsStatusAnswerMessage? Answer, XmlFindings Findings) ReadLiveXml(byte[] body, string root)
    {
        if (root == WcoStatusQueryXml.QueryRoot)
        {
            var query = WcoStatusQueryXml.ReadQuery(body);
            return (query.IsValid ? query.Message : null, null, query.Findings);
        }
        var answer = WcoStatusQueryXml.ReadAnswer(body);
        return (null, answer.IsValid ? answer.Message : null, answer.Findings);
    }

    /// <summary>When an EDIFACT query was asked: its interchange's preparation time (UNB S004, read as UTC), else now.</summary>
    private DateTimeOffset QueryTimeOf(StructuredMessage message)
    {
        if (message.Message.Interchange is { } unb)
        {
            var text = unb.Date + unb.Time;
            var format = unb.Date.Length == 8 ? "yyyyMMddHHmm" : "yyMMddHHmm";
            if (DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                return new DateTimeOffset(at, TimeSpan.Zero);
            }
        }
        return Time.GetUtcNow();
    }

    /// <summary>At most one live query or answer document; a second one, or one beside other messages, is a finding.</summary>
    private sealed class LiveQueryDocument(WcoMetadata metadata, XmlFindings findings)
    {
        private byte[]? _document;
        private string _root = string.Empty;

        public bool HasDocument => _document is not null;

        public void Add(TranslatedMessage message, DateTimeOffset askedAt, string? submitter, bool othersWritten)
        {
            if (message.StatusQuery is null && message.StatusAnswer is null)
            {
                // Its findings say why; nothing to write.
                return;
            }
            if (othersWritten)
            {
                Mixed($"The live {(message.StatusQuery is not null ? "status query" : "status answer")} '{message.Reference}'");
                return;
            }
            if (message.StatusQuery is { } query)
            {
                AddQuery(query, askedAt, submitter);
            }
            else
            {
                AddAnswer(message.StatusAnswer!);
            }
        }

        public void AddQuery(CustomsStatusQueryMessage query, DateTimeOffset askedAt, string? submitter) =>
            Set(WcoStatusQueryXml.QueryRoot, $"status query '{query.QueryId}'", () => WcoStatusQueryXml.WriteQuery(query, askedAt, string.IsNullOrEmpty(submitter) ? null : submitter, metadata));

        public void AddAnswer(CustomsStatusAnswerMessage answer) =>
            Set(WcoStatusQueryXml.AnswerRoot, $"status answer for '{answer.ContainerNumber}'", () => WcoStatusQueryXml.WriteAnswer(answer, responseToId: null, metadata));

        /// <summary>True (with a finding) when a live document already holds the output: the message is not written.</summary>
        public bool Refuses(TranslatedMessage message)
        {
            if (_document is null || (message.Events is null && message.Notifications is null && message.Manifest is null && message.CustomsErrors is not { Count: > 0 }))
            {
                return false;
            }
            Mixed($"Message '{message.Reference}' ({message.Type})");
            return true;
        }

        public async Task<bool> WriteAsync(Stream output, CancellationToken cancellationToken)
        {
            await output.WriteAsync(_document!, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        private void Set(string root, string what, Func<byte[]> write)
        {
            if (_document is not null)
            {
                Mixed($"The {what}");
                return;
            }
            try
            {
                _document = write();
                _root = root;
            }
            catch (NotSupportedException ex)
            {
                // The schema refused what was written (e.g. an id longer than it allows): reported, never handed on.
                findings.Add(new XmlFinding(XmlErrorCodes.InvalidValue, EdifactSeverity.Error, ex.Message, 0, 0, "/" + root));
            }
        }

        private void Mixed(string what) =>
            findings.Add(new XmlFinding(XmlErrorCodes.MixedMessages, EdifactSeverity.Error,
                $"{what} belongs in a document of its own; this one is a {(_root.Length > 0 ? _root : "cargo, status or response document")}: not written (translate it separately).", 0, 0, "/"));
    }
}
