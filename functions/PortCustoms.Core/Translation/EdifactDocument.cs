using PortCustoms.Edifact;

namespace PortCustoms.Core.Translation;

/// <summary>
/// An EDIFACT file read through the whole engine: syntax and envelopes (<see cref="EdifactInterchangeValidator"/>) and
/// each message's structure (<see cref="StructuredMessage"/>). Never throws for bad input: everything is a diagnostic.
/// </summary>
public sealed class EdifactDocument
{
    private EdifactDocument(EdifactValidationResult validation, IReadOnlyList<StructuredMessage> messages)
    {
        Validation = validation;
        Messages = messages;
    }

    /// <summary>Counts and every syntax, envelope and structure diagnostic, in file order.</summary>
    public EdifactValidationResult Validation { get; }

    /// <summary>The messages, in file order (empty when not kept).</summary>
    public IReadOnlyList<StructuredMessage> Messages { get; }

    /// <param name="stream">The file.</param>
    /// <param name="options">Strict (default) or lenient envelopes.</param>
    /// <param name="keepMessages">False to validate only: each message is dropped once checked, so memory stays flat.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<EdifactDocument> ReadAsync(Stream stream, EdifactValidationOptions? options = null, bool keepMessages = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var messages = new List<StructuredMessage>();
        var validator = new EdifactInterchangeValidator(options);
        var validation = await validator.ValidateAsync(stream, (message, findings) =>
        {
            var structured = StructuredMessage.Create(message);
            foreach (var diagnostic in structured.StructureDiagnostics)
            {
                findings.Add(diagnostic);
            }
            if (keepMessages)
            {
                messages.Add(structured);
            }
            else
            {
                // Only its findings (copies) are kept: the tables go back to the pool.
                message.Dispose();
            }
        }, cancellationToken).ConfigureAwait(false);
        return new EdifactDocument(validation, messages);
    }

    public static Task<EdifactDocument> ReadAsync(ReadOnlyMemory<byte> data, EdifactValidationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var stream = new MemoryStream(data.ToArray(), writable: false);
        return ReadAsync(stream, options, keepMessages: true, cancellationToken);
    }
}
