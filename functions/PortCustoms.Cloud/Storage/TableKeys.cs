using System.Text;

namespace PortCustoms.Cloud.Storage;

/// <summary>
/// Table Storage keys from caller-chosen ids. '/', '\', '#', '?', '%' and control characters are not allowed in keys
/// (or are ambiguous in URLs), so they are percent-encoded: ids stay readable and the mapping is reversible.
/// </summary>
internal static class TableKeys
{
    public static string Encode(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!NeedsEncoding(id))
        {
            return id;
        }
        var builder = new StringBuilder(id.Length + 8);
        foreach (var c in id)
        {
            if (IsForbidden(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static bool NeedsEncoding(string id)
    {
        foreach (var c in id)
        {
            if (IsForbidden(c))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsForbidden(char c) => c is '/' or '\\' or '#' or '?' or '%' or '\'' || char.IsControl(c);
}
