namespace PortCustoms.Edifact.Tests;

/// <summary>Corrupted interchanges give a clean EdifactException or diagnostics: never another exception, never a hang.</summary>
public class MutationTests
{
    private const int Iterations = 400;

    public static TheoryData<string> Inputs => ["generated", "generated-group", .. SampleFixtureTests.Samples];

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Random_corruptions_give_an_EdifactException_or_diagnostics_and_nothing_else(string input)
    {
        byte[] original = input switch
        {
            "generated" => InterchangeGenerator.Small(messages: 4),
            "generated-group" => InterchangeGenerator.Small(messages: 2, group: true, serviceStringAdvice: false),
            _ => Fixture.Bytes(input),
        };
        var random = new Random(input.Length * 7919);
        var validator = new EdifactInterchangeValidator(new EdifactValidationOptions { Mode = EdifactValidationMode.Lenient, BufferSize = 256 });

        for (int i = 0; i < Iterations; i++)
        {
            byte[] corrupted = Mutate(original, random);

            // The validator reports syntax errors as diagnostics: it must not throw at all.
            EdifactValidationResult result = validator.Validate(corrupted);
            Assert.True(result.BytesRead <= corrupted.Length);

            // And its fast paths (bulk skipping over one big buffer) must find exactly what the token path finds.
            EdifactValidationResult streamed = await validator.ValidateAsync(new NonSeekableStream(corrupted, chunk: 7));
            Assert.Equal(result.Diagnostics, streamed.Diagnostics);

            // The message path tokenizes every segment, yet must agree on what and where (segment and line).
            EdifactValidationResult withMessages = await validator.ValidateAsync(new NonSeekableStream(corrupted, chunk: 64), (_, _) => { });
            Assert.Equal(Summary(result), Summary(withMessages));

            ReadAllTokens(corrupted);
            if (i % 20 == 0)
            {
                await ReadAllMessagesAsync(corrupted);
            }
        }
    }

    /// <summary>
    /// What and where, without the findings inside a segment the tokenizer then stopped in: how far each path got into
    /// that segment before the end of the data legitimately differs.
    /// </summary>
    private static string[] Summary(EdifactValidationResult result)
    {
        EdifactDiagnostic? fatal = result.Diagnostics.FirstOrDefault(d => d.Code.StartsWith("EDI-SYN-", StringComparison.Ordinal) && d.Severity == EdifactSeverity.Error && d.Code != EdifactErrorCodes.InvalidCharacter && d.Code != EdifactErrorCodes.InvalidSegmentTag);
        return [.. result.Diagnostics.Where(d => fatal is null || d == fatal || d.Segment != fatal.Segment).Select(d => $"{d.Code}@{d.Line}/{d.Segment}")];
    }

    private static void ReadAllTokens(byte[] data)
    {
        try
        {
            var reader = new EdifactReader(data);
            int tokens = 0;
            while (reader.Read())
            {
                if (reader.TokenType is EdifactTokenType.Element or EdifactTokenType.Component or EdifactTokenType.Repetition)
                {
                    _ = reader.GetString();
                }

                Assert.True(++tokens <= data.Length + 1, "The reader must make progress on every token.");
            }
        }
        catch (EdifactException)
        {
        }
    }

    private static async Task ReadAllMessagesAsync(byte[] data)
    {
        await using var stream = new EdifactStreamReader(new NonSeekableStream(data, chunk: 13), new EdifactValidationOptions { BufferSize = 256 });
        try
        {
            await foreach (EdifactMessage message in stream.ReadMessagesAsync())
            {
                Assert.NotEmpty(message.Segments);
            }
        }
        catch (EdifactException)
        {
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        List<byte> bytes = [.. original];
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    break;
                case 2:
                    bytes.Insert(at, Interesting(random));
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes[at] = Interesting(random);
                    break;
            }
        }

        return [.. bytes];
    }

    private static byte Interesting(Random random) =>
        "'+:?*\n\r\t UNAUNBUNHUNTUNZ\u00EF\u00BB\u00BF\0"[random.Next(28)] is var c ? (byte)c : (byte)0;
}
