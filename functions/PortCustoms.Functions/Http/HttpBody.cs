using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PortCustoms.Core.Intake;

namespace PortCustoms.Functions.Http;

/// <summary>
/// The one way a request body is read: into memory, never past a limit, whatever the Content-Length claims (a chunked
/// body has none, and a client may lie). A larger body is refused (413) before more of it is read.
/// </summary>
internal static class HttpBody
{
    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/> (answer <see cref="TooLarge"/>).</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes)
        {
            return null;
        }
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var length ? (int)length : 4096);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return null;
            }
        }
    }

    /// <summary>413 for a body past <paramref name="maxBytes"/>.</summary>
    public static ObjectResult TooLarge(int maxBytes) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body must be at most {maxBytes} bytes.");

    /// <summary>
    /// Reads a body that must be one JSON object and checks it against its JSON Schema and parses it (Core's <see cref="JsonObjectBody"/>): the model, or the
    /// problem to answer (too large, not acceptable JSON, not an object, fields at fault).
    /// </summary>
    public static async Task<(T? Value, IActionResult? Problem)> ReadJsonObjectAsync<T>(HttpRequest request, int maxBytes, JsonBodySchema schema, JsonObjectBody.Parse<T> parse, CancellationToken cancellationToken)
        where T : class
    {
        if (await ReadAsync(request, maxBytes, cancellationToken).ConfigureAwait(false) is not { } body)
        {
            return (null, TooLarge(maxBytes));
        }
        var value = JsonObjectBody.Read(body, schema, parse, out var problem);
        return value is null ? (null, Problems.From(problem!)) : (value, null);
    }
}
