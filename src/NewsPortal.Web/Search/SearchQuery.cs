using System.Globalization;

namespace NewsPortal.Web.Search;

/// <summary>
/// A reader's query, parsed: words and "quoted phrases" to find, -words to exclude, and the operators
/// <c>source:</c>, <c>category:</c>, <c>lang:</c>, <c>before:</c> and <c>after:</c>. Parsing never fails; what cannot
/// be understood is reported in <see cref="Problems"/> and left out. Each store makes its own query of it: FTS5 MATCH
/// expressions here, tsquery in <see cref="PostgresSearch"/>; neither lets a reader write the index's own syntax.
/// </summary>
public sealed record SearchQuery(
    string Text,
    IReadOnlyList<string> Terms,
    IReadOnlyList<string> Excluded,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Categories,
    string? Language,
    DateOnly? Before,
    DateOnly? After,
    IReadOnlyList<string> Problems)
{
    public const int MaxLength = 500;

    /// <summary>Newest first rather than headline matches first (the <c>sort=newest</c> of a search's address).</summary>
    public bool NewestFirst { get; init; }

    /// <summary>
    /// The order a search's address asks for: <c>relevance</c> (or nothing) or <c>newest</c>; false when it names
    /// neither, with the sentence to say so.
    /// </summary>
    public static bool TryParseSort(string? sort, out bool newestFirst, out string? problem)
    {
        (newestFirst, problem) = sort?.Trim().ToLowerInvariant() switch
        {
            null or "" or "relevance" => (false, null),
            "newest" => (true, null),
            _ => (false, "sort must be 'relevance' or 'newest'."),
        };
        return problem is null;
    }

    /// <summary>A date as searches write it, 2026-01-31 (operators and the page's filter fields alike).</summary>
    public static bool TryParseDate(string value, out DateOnly date)
        => DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public bool IsEmpty => Terms.Count == 0 && Excluded.Count == 0 && !HasFilters;

    public bool HasFilters => Sources.Count > 0 || Categories.Count > 0 || Language is not null || Before is not null || After is not null;

    /// <summary>
    /// This query within a list's own filters as well as its operators: a category's and a source's slug, a language
    /// tag, and the days from <paramref name="from"/> to <paramref name="to"/>, both included. A list of matches of
    /// words filtered after the search would hold only the ones among the newest matches of the words alone.
    /// </summary>
    public SearchQuery Within(string? categorySlug, string? sourceSlug, string? language, DateOnly? from = null, DateOnly? to = null) => this with
    {
        Categories = categorySlug is null ? Categories : [.. Categories, categorySlug],
        Sources = sourceSlug is null ? Sources : [.. Sources, sourceSlug],
        Language = language ?? Language,
        // The calendar's first and last days bound nothing, and have no day before or after them.
        After = from is { } first && first > DateOnly.MinValue ? first.AddDays(-1) : After,
        Before = to is { } last && last < DateOnly.MaxValue ? last.AddDays(1) : Before,
    };

    public static SearchQuery Parse(string? text)
    {
        var input = Shared.Text.Clean(text);
        var problems = new List<string>();
        if (input.Length > MaxLength)
        {
            problems.Add($"The search was cut to its first {MaxLength} characters.");
            input = Shared.Text.Cut(input, MaxLength);
        }

        var terms = new List<string>();
        var excluded = new List<string>();
        var sources = new List<string>();
        var categories = new List<string>();
        string? language = null;
        DateOnly? before = null, after = null;

        foreach (var (token, quoted, negated) in Tokenize(input, problems))
        {
            var colon = quoted ? -1 : token.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = colon > 0 ? (token[..colon].ToLowerInvariant(), token[(colon + 1)..].Trim('"')) : ("", token);
            switch (name)
            {
                case "source" when value.Length > 0:
                    sources.Add(value);
                    break;
                case "category" when value.Length > 0:
                    categories.Add(value);
                    break;
                case "lang" or "language" when value.Length > 0:
                    language = value.ToLowerInvariant();
                    break;
                case "before" or "after":
                    if (TryParseDate(value, out var date))
                    {
                        if (name == "before")
                        {
                            before = date;
                        }
                        else
                        {
                            after = date;
                        }
                    }
                    else
                    {
                        problems.Add($"'{name}:' needs a date written as 2026-01-31, not '{value}'.");
                    }

                    break;
                default:
                    if (HasWordCharacters(token))
                    {
                        (negated ? excluded : terms).Add(token);
                    }

                    break;
            }
        }

        return new SearchQuery(input.Trim(), terms, excluded, sources, categories, language, before, after, problems);
    }

    /// <summary>
    /// The FTS5 MATCH expression: every term quoted (so nothing a reader types is FTS syntax), all required,
    /// exclusions joined with NOT. Null when there is no term to match.
    /// </summary>
    public string? ToFtsMatch()
    {
        if (Terms.Count == 0)
        {
            return null;
        }

        var match = string.Join(" AND ", Terms.Select(Quote));
        return Excluded.Count == 0 ? match : $"({match}) NOT ({string.Join(" OR ", Excluded.Select(Quote))})";
    }

    /// <summary>The FTS5 expression matching every term within one column (such as "Title"); null when there is no term.</summary>
    public string? ToFtsMatchIn(string column)
        => Terms.Count == 0 ? null : $"\"{column}\" : ({string.Join(" AND ", Terms.Select(Quote))})";

    /// <summary>An FTS5 expression matching any excluded term, for a query that only excludes.</summary>
    public string? ExclusionMatch() => Excluded.Count == 0 ? null : string.Join(" OR ", Excluded.Select(Quote));

    private static string Quote(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static bool HasWordCharacters(string token) => token.Any(char.IsLetterOrDigit);

    private static IEnumerable<(string Token, bool Quoted, bool Negated)> Tokenize(string input, List<string> problems)
    {
        var i = 0;
        while (i < input.Length)
        {
            while (i < input.Length && char.IsWhiteSpace(input[i]))
            {
                i++;
            }

            if (i >= input.Length)
            {
                yield break;
            }

            var negated = input[i] == '-' && i + 1 < input.Length && !char.IsWhiteSpace(input[i + 1]);
            if (negated)
            {
                i++;
            }

            if (input[i] == '"')
            {
                var end = input.IndexOf('"', i + 1);
                if (end < 0)
                {
                    // Most likely a slip: the words are searched for one by one, which finds what a phrase would and more.
                    problems.Add("A quotation mark was not closed; the words after it were searched for one by one.");
                    i++;
                    continue;
                }

                var phrase = input[(i + 1)..end].Trim();
                i = Math.Min(end + 1, input.Length);
                if (phrase.Length > 0)
                {
                    yield return (phrase, true, negated);
                }

                continue;
            }

            var start = i;
            while (i < input.Length && !char.IsWhiteSpace(input[i]))
            {
                // source:"the globe and mail" keeps its quoted value together.
                if (input[i] == '"' && i > start && input[i - 1] == ':')
                {
                    var close = input.IndexOf('"', i + 1);
                    i = close < 0 ? input.Length : close + 1;
                    continue;
                }

                i++;
            }

            yield return (input[start..i], false, negated);
        }
    }
}
