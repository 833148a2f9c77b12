using Microsoft.Extensions.Logging;
using PortCustoms.Core.Model;

namespace PortCustoms.Cloud;

/// <summary>Source-generated logs of PortCustoms.Cloud. Partial per area; the gate path and customs adapter use 3100-3199.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Debug, Message = "Customs state of {ContainerNumber} changed concurrently; re-reading (attempt {Attempt}).")]
    public static partial void CustomsStateConflict(this ILogger logger, ContainerNumber containerNumber, int attempt);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information, Message = "Client certificate '{CertificateName}' loaded from Key Vault: thumbprint {Thumbprint}, valid until {NotAfter:O}.")]
    public static partial void ClientCertificateLoaded(this ILogger logger, string certificateName, string thumbprint, DateTime notAfter);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Client certificate '{CertificateName}' rotated: thumbprint {OldThumbprint} replaced by {Thumbprint}.")]
    public static partial void ClientCertificateRotated(this ILogger logger, string certificateName, string oldThumbprint, string thumbprint);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Warning, Message = "Client certificate '{CertificateName}' could not be refreshed from Key Vault; the cached one is still valid and stays in use.")]
    public static partial void ClientCertificateRefreshFailed(this ILogger logger, Exception exception, string certificateName);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Error, Message = "Client certificate '{CertificateName}' could not be loaded from Key Vault.")]
    public static partial void ClientCertificateUnavailable(this ILogger logger, Exception exception, string certificateName);

    [LoggerMessage(EventId = 3120, Level = LogLevel.Warning, Message = "Customs platform {Operation} gave no answer: {Reason}.")]
    public static partial void CustomsPlatformNoAnswer(this ILogger logger, Exception exception, string operation, PortCustoms.Core.CustomsPlatform.CustomsPlatformFailureReason reason);
}
