using System.Text;

namespace PortCustoms.Edifact.Contrl;

/// <summary>
/// A minimal serialiser for CONTRL segments with the default delimiters (<c>: + ? '</c>), for tests and
/// diagnostics. Interchanges are written by the syntax layer's writer, which will replace this.
/// </summary>
internal static class ContrlText
{
    public static string Write(ContrlMessage message)
    {
        var text = new StringBuilder();
        foreach (ContrlSegment segment in message.Segments)
        {
            text.Append(segment.Tag);
            foreach (IReadOnlyList<string> element in segment.Elements)
            {
                text.Append('+');
                for (int c = 0; c < element.Count; c++)
                {
                    if (c > 0)
                    {
                        text.Append(':');
                    }

                    AppendEscaped(text, element[c]);
                }
            }

            text.Append('\'');
        }

        return text.ToString();
    }

    private static void AppendEscaped(StringBuilder text, string value)
    {
        foreach (char c in value)
        {
            if (c is '+' or ':' or '\'' or '?')
            {
                text.Append('?');
            }

            text.Append(c);
        }
    }
}
