namespace PortCustoms.Core.Batch;

/// <summary>
/// Who may drop a file into <c>inbound/{broker}/</c>. The landing account's ACLs keep each broker's SFTP user in its
/// own folder; this is the second lock: a file is attributed to a broker only when that broker's SFTP user owns it,
/// so a misconfigured ACL, or content written by anyone else, never reaches customs in a broker's name.
/// </summary>
public static class BatchUploader
{
    /// <summary>
    /// Why the file in <paramref name="broker"/>'s folder may not be read as that broker's, or null when it may.
    /// <paramref name="owner"/> is the file's owner as the landing account reports it (null: not reported);
    /// <paramref name="operatorReplay"/>: an operator re-drove a quarantined file, recorded in the ledger.
    /// </summary>
    public static string? Problem(BatchOptions options, string broker, string? owner, bool operatorReplay)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(broker);
        if (options.UploaderIdentity == BatchUploaderIdentity.NotChecked || operatorReplay)
        {
            // A replay is the operator's act, audited in the ledger; the original's uploader was checked when it arrived.
            return null;
        }
        var expected = options.Brokers.TryGetValue(broker, out var configured) ? configured.SftpUserId : null;
        if (string.IsNullOrEmpty(expected))
        {
            return $"Folder '{broker}' has no SFTP user configured (Batch:Brokers:{broker}:SftpUserId): its files cannot be attributed to a broker.";
        }
        if (string.IsNullOrEmpty(owner))
        {
            // Fail closed: an account without hierarchical namespace, or a response without the owner, proves nothing.
            return $"The landing account did not report who uploaded the file; only files uploaded by broker '{broker}''s SFTP user are read.";
        }
        return string.Equals(owner, expected, StringComparison.Ordinal)
            ? null
            : $"The file was uploaded by user '{owner}', not by broker '{broker}''s SFTP user ({expected}): it is not read.";
    }
}
