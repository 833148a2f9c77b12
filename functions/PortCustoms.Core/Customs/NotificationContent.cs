using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PortCustoms.Core.Customs;

/// <summary>
/// What makes two notifications with one id "the same": a SHA-256 over every field customs sent (id, container, status,
/// reference, issue instant and whether it had a zone, free text, intelligence, extra fields), not over when PortCustoms
/// received it. The issue time counts as an instant (07:10Z and 08:10+01:00 are the same). Stored with each notification,
/// so a resend compares with one read; for notifications stored before the hash existed it is computed from the stored fields.
/// </summary>
public static class NotificationContent
{
    /// <summary>Bump when the canonical form changes; stored hashes of another version are recomputed from the stored fields.</summary>
    public const string Version = "1";

    public static string Hash(CustomsNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using var buffer = new FieldBuffer();
        Field(buffer, notification.NotificationId);
        Field(buffer, notification.ContainerNumber.ToString());
        Field(buffer, notification.Status.ToName());
        Field(buffer, notification.CustomsReference);
        Field(buffer, notification.IssuedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Field(buffer, notification.IssuedAtZoned ? "zoned" : "unzoned");
        Field(buffer, notification.Reason);
        Field(buffer, notification.RiskScore?.ToString("R", CultureInfo.InvariantCulture));
        Field(buffer, notification.TargetingReason);
        Field(buffer, notification.OfficerNotes);
        Field(buffer, notification.AdditionalData);
        return Version + ":" + Convert.ToHexStringLower(SHA256.HashData(buffer.Written));
    }

    // Length-prefixed (and null distinct from empty), so no two field lists share a byte sequence.
    private static void Field(FieldBuffer buffer, string? value)
    {
        if (value is null)
        {
            buffer.WriteInt32(-1);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        buffer.WriteInt32(bytes.Length);
        buffer.Write(bytes);
    }

    private sealed class FieldBuffer : IDisposable
    {
        private readonly MemoryStream _stream = new();

        public void Dispose() => _stream.Dispose();

        public ReadOnlySpan<byte> Written => _stream.GetBuffer().AsSpan(0, (int)_stream.Length);

        public void WriteInt32(int value)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(bytes, value);
            _stream.Write(bytes);
        }

        public void Write(byte[] bytes) => _stream.Write(bytes);
    }
}
