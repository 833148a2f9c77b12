using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Tests.Translation;

/// <summary>Reading fixtures and interchanges through the whole engine (syntax, envelope, structure, mapping).</summary>
internal static class TranslationFixtures
{
    public static readonly DateTimeOffset ReceivedAt = new(2026, 11, 26, 7, 11, 0, TimeSpan.Zero);

    public static EdifactTranslator Translator { get; } = new(time: new FakeTimeProvider(ReceivedAt));

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Translation", "Fixtures", name);

    public static byte[] Fixture(string name) => File.ReadAllBytes(FixturePath(name));

    public static async Task<(EdifactDocument Document, List<TranslatedMessage> Messages)> TranslateAsync(byte[] interchange)
    {
        var document = await EdifactDocument.ReadAsync(interchange);
        var messages = document.Messages.Select(Translator.Translate).ToList();
        return (document, messages);
    }

    public static Task<(EdifactDocument Document, List<TranslatedMessage> Messages)> TranslateAsync(string text) =>
        TranslateAsync(Encoding.Latin1.GetBytes(text));

    /// <summary>An interchange around the given message segments (UNT is counted here).</summary>
    public static string Interchange(string messageType, string directory, params string[] body)
    {
        var version = directory[..1];
        var release = directory[1..];
        var text = new StringBuilder("UNA:+.? 'UNB+UNOC:3+SENDER+RECIPIENT+261126:0800+IC1'");
        text.Append($"UNH+1+{messageType}:{version}:{release}:UN'");
        foreach (var segment in body)
        {
            text.Append(segment).Append('\'');
        }
        text.Append($"UNT+{body.Length + 2}+1'UNZ+1+IC1'");
        return text.ToString();
    }

    public static string CanonicalJson(IEnumerable<TranslatedMessage> messages)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            PortCustoms.Core.Translation.CanonicalJson.Write(writer, messages);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan).ReplaceLineEndings("\n") + "\n";
    }

    public static IEnumerable<EdifactDiagnostic> All(this IEnumerable<TranslatedMessage> messages) => messages.SelectMany(m => m.Diagnostics);
}
