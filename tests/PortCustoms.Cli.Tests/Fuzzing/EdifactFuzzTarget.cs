using PortCustoms.Cli.Files;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;

namespace PortCustoms.Cli.Tests.Fuzzing;

/// <summary>
/// One input through every path that reads EDIFACT: the tokenizer, <c>validate</c> (strict and lenient: syntax,
/// envelopes, structure and every mapping), <c>translate --to json</c>, and the notification intake's
/// <see cref="EdifactDocument"/>. Any exception escaping here is a defect: bad input must come back as findings.
/// The signature fits SharpFuzz's <c>Fuzzer.Run(Action&lt;Stream&gt;)</c> as well as the property test.
/// </summary>
public static class EdifactFuzzTarget
{
    private static readonly FileValidator Validator = new();
    private static readonly FileTranslator Translator = new();

    public static void Run(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var copy = new MemoryStream();
        input.CopyTo(copy);
        Run(copy.ToArray());
    }

    public static void Run(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ReadAllTokens(data);
        RunAsync(data).GetAwaiter().GetResult();
    }

    private static async Task RunAsync(byte[] data)
    {
        _ = await Validator.ValidateAsync("fuzz", new MemoryStream(data, writable: false), EdifactValidationMode.Strict).ConfigureAwait(false);
        _ = await Validator.ValidateAsync("fuzz", new MemoryStream(data, writable: false), EdifactValidationMode.Lenient).ConfigureAwait(false);
        _ = await Translator.TranslateAsync(new MemoryStream(data, writable: false), Stream.Null, TranslationTarget.Json).ConfigureAwait(false);
        _ = await EdifactDocument.ReadAsync(data).ConfigureAwait(false);
    }

    private static void ReadAllTokens(byte[] data)
    {
        var reader = new EdifactReader(data);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is EdifactTokenType.Element or EdifactTokenType.Component or EdifactTokenType.Repetition)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (EdifactException)
        {
            // The tokenizer's documented way of stopping on syntax it cannot continue past.
        }
    }
}
