using System.Text;

namespace NewsPortal.Web.Shared;

public static class Text
{
    /// <summary>Trims and turns every run of white space (including non-breaking spaces) into one space.</summary>
    public static string CollapseWhitespace(string value)
    {
        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Shortens text to at most <paramref name="max"/> characters at a word boundary, ending with an ellipsis when cut.</summary>
    public static string TrimToLength(string value, int max)
    {
        if (value.Length <= max)
        {
            return value;
        }

        var cut = value[..(max - 1)];
        var lastSpace = cut.LastIndexOf(' ');
        if (lastSpace > max / 2)
        {
            cut = cut[..lastSpace];
        }

        return cut.TrimEnd(' ', ',', ';', ':', '-', '–', '—') + "…";
    }
}
