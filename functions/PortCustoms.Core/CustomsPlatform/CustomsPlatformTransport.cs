namespace PortCustoms.Core.CustomsPlatform;

/// <summary>One message to the customs platform: the operation (a path relative to the platform's base address) and the encoded body.</summary>
public sealed record CustomsTransportRequest(string Operation, ReadOnlyMemory<byte> Body, string MediaType);

/// <summary>What the customs platform answered: any HTTP status, with its body.</summary>
public sealed record CustomsTransportResponse(int Status, ReadOnlyMemory<byte> Body, string? MediaType)
{
    public bool IsSuccess => Status is >= 200 and <= 299;
}

/// <summary>Why no answer came back from the customs platform.</summary>
public enum CustomsPlatformFailureReason : byte
{
    /// <summary>No answer within the time allowed (the caller's budget).</summary>
    Timeout = 1,

    /// <summary>No connection, TLS refused, or the circuit to the platform is open.</summary>
    Unreachable = 2,

    /// <summary>The client certificate for mutual TLS could not be obtained.</summary>
    ClientCertificateUnavailable = 3,
}

/// <summary>The customs platform gave no answer at all. Answers with error statuses are responses, not exceptions.</summary>
public sealed class CustomsPlatformException : Exception
{
    public CustomsPlatformException()
    {
    }

    public CustomsPlatformException(string message)
        : base(message)
    {
    }

    public CustomsPlatformException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CustomsPlatformException(CustomsPlatformFailureReason reason, string message, Exception? innerException = null)
        : base($"{message} ({reason})", innerException)
    {
        Reason = reason;
    }

    public CustomsPlatformFailureReason Reason { get; }
}

/// <summary>
/// Carries encoded messages to the customs platform (HTTPS with mutual TLS in Cloud). Shared by every flow that talks to
/// customs; each caller brings its own time budget through the cancellation token.
/// </summary>
public abstract class CustomsPlatformTransport
{
    protected CustomsPlatformTransport()
    {
    }

    /// <summary>Sends; returns whatever status came back; throws <see cref="CustomsPlatformException"/> when nothing did.</summary>
    public abstract Task<CustomsTransportResponse> SendAsync(CustomsTransportRequest request, CancellationToken cancellationToken = default);
}
