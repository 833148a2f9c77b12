using System.Text.Json;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Reconciliation;

/// <summary>A manifest file's fault: a stable code, a sentence and where (EDIFACT position or JSON path).</summary>
public sealed record ManifestFileError(string Code, string Message, long Line = 0, int Segment = 0, string? Path = null);

/// <summary>The manifests found in a file (one per CUSCAR/IFTMCS/IFTMAN message), the unreadable ones' errors, and warnings.</summary>
public sealed record ManifestFileReadResult(IReadOnlyList<SourcedManifest> Manifests, IReadOnlyList<ManifestFileError> Errors, IReadOnlyList<ManifestFileError> Warnings);

/// <summary>
/// Reads the manifests of a file through the same translator as everything else: EDIFACT (CUSCAR, IFTMCS, IFTMAN), or
/// canonical JSON (the <c>translate --to json</c> document, or one manifest object). A container number failing its
/// check digit does not make a manifest unreadable: it travels as a rejected container, to be reported.
/// </summary>
public static class ManifestFileReader
{
    public const string NoManifest = "MANIFEST-NONE";
    public const string Unreadable = "MANIFEST-UNREADABLE";
    public const string JsonInvalid = "MANIFEST-JSON-INVALID";

    private static readonly HashSet<string> Reportable = [MappingErrorCodes.ContainerCheckDigit, MappingErrorCodes.ContainerNumberInvalid];

    public static Task<ManifestFileReadResult> ReadAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        ReadAsync(name, content, null, cancellationToken);

    /// <summary>As the other overload, EDIFACT codes checked against <paramref name="codeLists"/> (the shipped lists when null).</summary>
    public static async Task<ManifestFileReadResult> ReadAsync(string name, ReadOnlyMemory<byte> content, CodeLists.CodeListService? codeLists, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var span = content.Span;
        if (span.StartsWith("\uFEFF"u8))
        {
            content = content[3..];
            span = content.Span;
        }
        var start = span.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0)
        {
            return new([], [new ManifestFileError(NoManifest, $"{name} is empty.", 1)], []);
        }
        return span[start] is (byte)'{' or (byte)'['
            ? ReadJson(name, span)
            : await ReadEdifactAsync(name, content, codeLists ?? CodeLists.CodeListService.Shipped, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ManifestFileReadResult> ReadEdifactAsync(string name, ReadOnlyMemory<byte> content, CodeLists.CodeListService codeLists, CancellationToken cancellationToken)
    {
        var document = await EdifactDocument.ReadAsync(content, cancellationToken: cancellationToken).ConfigureAwait(false);
        var translator = new EdifactTranslator { CodeLists = codeLists };
        var manifests = new List<SourcedManifest>();
        var errors = new List<ManifestFileError>();
        var warnings = new List<ManifestFileError>();
        foreach (var diagnostic in document.Validation.Diagnostics)
        {
            (diagnostic.Severity == EdifactSeverity.Error ? errors : warnings).Add(From(diagnostic));
        }
        foreach (var message in document.Messages)
        {
            if (message.MessageType is not ("CUSCAR" or "IFTMCS" or "IFTMAN"))
            {
                warnings.Add(new ManifestFileError(NoManifest, $"{message.MessageType} {message.Reference} is not a manifest (CUSCAR, IFTMCS, IFTMAN); not read.", message.Message.Header.Position.Line, message.Message.Header.Position.Segment));
                continue;
            }
            var translated = translator.Translate(message);
            foreach (var diagnostic in translated.Diagnostics)
            {
                // Rejected container numbers are the report's business (a discrepancy), not a reason to stop.
                (diagnostic.Severity == EdifactSeverity.Error && !Reportable.Contains(diagnostic.Code) ? errors : warnings).Add(From(diagnostic));
            }
            if (translated.Manifest is { } manifest)
            {
                manifests.Add(new SourcedManifest($"{name} {translated.Type} {translated.Reference}", manifest));
            }
        }
        if (manifests.Count == 0 && errors.Count == 0)
        {
            errors.Add(new ManifestFileError(NoManifest, $"{name} holds no manifest message (CUSCAR, IFTMCS, IFTMAN).", 1));
        }
        return new ManifestFileReadResult(manifests, errors, warnings);
    }

    private static ManifestFileReadResult ReadJson(string name, ReadOnlySpan<byte> utf8)
    {
        var manifests = new List<SourcedManifest>();
        var errors = new List<ManifestFileError>();
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            return new([], [new ManifestFileError(JsonInvalid, $"Not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}).", (ex.LineNumber ?? 0) + 1)], []);
        }
        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var entry in messages.EnumerateArray())
                {
                    if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("manifest", out var manifest))
                    {
                        var type = entry.TryGetProperty("type", out var t) ? t.GetString() : "manifest";
                        var reference = entry.TryGetProperty("reference", out var r) ? r.GetString() : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        Deserialize(manifest, $"{name} {type} {reference}", $"$.messages[{index}].manifest", manifests, errors);
                    }
                    index++;
                }
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("vessel", out _))
            {
                Deserialize(root, name, "$", manifests, errors);
            }
            else
            {
                errors.Add(new ManifestFileError(JsonInvalid, "Canonical JSON is { \"messages\": [ { \"type\", \"reference\", \"manifest\" } ] } or one manifest object with \"vessel\".", 1, Path: "$"));
            }
        }
        if (manifests.Count == 0 && errors.Count == 0)
        {
            errors.Add(new ManifestFileError(NoManifest, $"{name} holds no manifest.", 1, Path: "$"));
        }
        return new ManifestFileReadResult(manifests, errors, []);
    }

    private static void Deserialize(JsonElement element, string source, string path, List<SourcedManifest> manifests, List<ManifestFileError> errors)
    {
        try
        {
            if (element.Deserialize<CargoManifest>(CanonicalJson.ManifestOptions) is { } manifest)
            {
                manifests.Add(new SourcedManifest(source, manifest));
                return;
            }
            errors.Add(new ManifestFileError(JsonInvalid, "The manifest is null.", 0, Path: path));
        }
        catch (JsonException ex)
        {
            errors.Add(new ManifestFileError(JsonInvalid, ex.Message, 0, Path: path + (ex.Path is { Length: > 1 } p ? p[1..] : string.Empty)));
        }
    }

    private static ManifestFileError From(EdifactDiagnostic diagnostic) =>
        new(diagnostic.Code, diagnostic.Message, diagnostic.Position.Line, diagnostic.Position.Segment);
}
