using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace PortCustoms.Core.CustomsPlatform;

/// <summary>
/// How messages to and from the customs platform are written on the wire. Chosen by configuration
/// (<c>CustomsPlatform:Format</c>), never by code: JSON here; EDIFACT and XML plug in as further subclasses that know the
/// same message types.
/// </summary>
public abstract class CustomsMessageFormat
{
    protected CustomsMessageFormat()
    {
    }

    /// <summary>The configuration name: <c>json</c>, <c>edifact</c>, <c>xml</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The Content-Type of encoded messages.</summary>
    public abstract string MediaType { get; }

    /// <summary>
    /// False when the format has no document for the gate's live status query (<see cref="CustomsStatusQueryMessage"/>,
    /// <see cref="CustomsStatusAnswerMessage"/>): the gate then decides from stored notifications, never asking live.
    /// </summary>
    public virtual bool CarriesStatusQuery => true;

    /// <summary>Encodes a message; <see cref="NotSupportedException"/> for a message type the format does not carry.</summary>
    public abstract ReadOnlyMemory<byte> Encode<TMessage>(TMessage message)
        where TMessage : class;

    /// <summary>Decodes a message; false for anything malformed, incomplete or of the wrong shape (never throws for content).</summary>
    public abstract bool TryDecode<TMessage>(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out TMessage? message)
        where TMessage : class;
}

/// <summary>REST JSON (camelCase, every non-nullable member required).</summary>
public sealed class JsonCustomsMessageFormat : CustomsMessageFormat
{
    public const string FormatName = "json";

    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public override string Name => FormatName;

    public override string MediaType => "application/json";

    public override ReadOnlyMemory<byte> Encode<TMessage>(TMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.SerializeToUtf8Bytes(message, s_options);
    }

    public override bool TryDecode<TMessage>(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out TMessage? message)
        where TMessage : class
    {
        message = null;
        try
        {
            message = JsonSerializer.Deserialize<TMessage>(body.Span, s_options);
        }
        catch (JsonException)
        {
            return false;
        }
        return message is not null;
    }
}
