using System.Text;

namespace NewsPortal.Web.Shared;

/// <summary>
/// Names typed in one field ("World, Politics"), separated by commas (sources also by semicolons). A name that holds a
/// separator is written in double quotes, as a spreadsheet writes it: "Arts, culture and entertainment" is one IPTC
/// category, and an imported story's names come back whole when an editor saves the story.
/// </summary>
public static class NameList
{
    private static readonly char[] Separators = [',', ';'];

    /// <summary>The names as one field's text, each that needs it quoted.</summary>
    public static string Format(IEnumerable<string> names) => string.Join(", ", names.Select(Quote));

    /// <summary>A name as it is written in a list: in double quotes (a quote in it doubled) when it holds a separator or starts with a quote.</summary>
    public static string Quote(string name)
        => name.IndexOfAny(Separators) >= 0 || name.TrimStart().StartsWith('"')
            ? $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : name;

    /// <summary>
    /// The names in a field's text, split at <paramref name="separators"/> outside quotes, each trimmed, the empty ones
    /// dropped. A quote inside a name ("The "Sun"") is a quote; one left open runs to the end.
    /// </summary>
    public static List<string> Parse(string? value, params char[] separators)
    {
        var names = new List<string>();
        if (value is null)
        {
            return names;
        }

        var name = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (quoted)
            {
                if (c != '"')
                {
                    name.Append(c);
                }
                else if (i + 1 < value.Length && value[i + 1] == '"')
                {
                    name.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"' && string.IsNullOrWhiteSpace(name.ToString()))
            {
                name.Clear();
                quoted = true;
            }
            else if (Array.IndexOf(separators, c) >= 0)
            {
                Add(names, name);
            }
            else
            {
                name.Append(c);
            }
        }

        Add(names, name);
        return names;
    }

    private static void Add(List<string> names, StringBuilder name)
    {
        var trimmed = name.ToString().Trim();
        if (trimmed.Length > 0)
        {
            names.Add(trimmed);
        }

        name.Clear();
    }
}
