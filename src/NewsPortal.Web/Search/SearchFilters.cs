namespace NewsPortal.Web.Search;

/// <summary>
/// The search page's filter fields (a date range, a source, a category, a language) written as the operators a reader
/// could type, so a filtered search is an ordinary query with one address, shown whole in the search box.
/// </summary>
public static class SearchFilters
{
    public const int MaxNameLength = 100;

    public static bool TryWrite(string? q, string? from, string? to, string? source, string? category, string? lang, out string query, out string? problem)
    {
        var parts = new List<string> { Shared.Text.Line(q) };
        query = "";
        problem = null;
        // "From" and "to" include their days; after: and before: do not.
        if (!TryDate(from, "from", out var first, ref problem) || !TryDate(to, "to", out var last, ref problem))
        {
            return false;
        }

        // The calendar's first and last days bound nothing (and have no day beyond them to write).
        if (first is { } start && start > DateOnly.MinValue)
        {
            parts.Add($"after:{start.AddDays(-1):yyyy-MM-dd}");
        }

        if (last is { } end && end < DateOnly.MaxValue)
        {
            parts.Add($"before:{end.AddDays(1):yyyy-MM-dd}");
        }

        foreach (var (name, value) in new[] { ("source", source), ("category", category), ("lang", lang) })
        {
            var text = Shared.Text.Line(value).Replace("\"", "", StringComparison.Ordinal);
            if (text.Length > MaxNameLength)
            {
                problem = $"{name} can be at most {MaxNameLength} characters long.";
                return false;
            }

            if (text.Length > 0)
            {
                parts.Add(text.Contains(' ', StringComparison.Ordinal) ? $"{name}:\"{text}\"" : $"{name}:{text}");
            }
        }

        query = string.Join(' ', parts.Where(p => p.Length > 0));
        return true;
    }

    private static bool TryDate(string? value, string name, out DateOnly? date, ref string? problem)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (SearchQuery.TryParseDate(value, out var parsed))
        {
            date = parsed;
            return true;
        }

        problem = $"{name} must be a date written as 2026-01-31.";
        return false;
    }
}
