using System.Text.RegularExpressions;
using NewsPortal.Web.Data;
using NewsPortal.Web.Data.Postgres;

namespace NewsPortal.Web.Search;

/// <summary>
/// Search's SQL on PostgreSQL, in one place: what <see cref="SearchService"/> asks SQLite's FTS5 index, asked of the
/// "SearchVector" column and its GIN index (see <see cref="PostgresSchema"/>), with the same matches in the same order.
/// Nothing a reader types becomes tsquery syntax: each term goes through <see cref="PostgresSchema.SearchText"/>, which
/// leaves no quote or backslash in it, and is quoted whole into one operand of to_tsquery, so the only operators are
/// the ones written here and no input can fail to parse.
/// </summary>
internal static partial class PostgresSearch
{
    private const string Configuration = PostgresSchema.SearchConfiguration;

    /// <summary>ts_headline's options for a headline or lede: all of it, every match marked.</summary>
    private static readonly string WholeText = $"HighlightAll=true, StartSel={SearchService.MarkStart}, StopSel={SearchService.MarkEnd}";

    /// <summary>
    /// ts_headline's options for a snippet: one passage of about as many words as <see cref="Highlighter"/> takes, with
    /// words before the first match as well as after, short words included so a short text comes back whole.
    /// </summary>
    private static readonly string Passage = $"MaxFragments=1, MaxWords=28, MinWords=20, ShortWord=0, StartSel={SearchService.MarkStart}, StopSel={SearchService.MarkEnd}";

    /// <summary>One page of hits, in the order and with the count of <see cref="SearchService"/>'s SQLite query.</summary>
    public static string Hits(SearchSql search, Func<object, string> arg, int counted, bool marked)
    {
        var conditions = search.Conditions.ToList();
        var columns = """a."Title" AS "MarkedTitle", a."Lede" AS "MarkedLede", '' AS "Text", NULL AS "MarkedText" """;
        var query = "";
        string ranked;
        if (search.Walk is null)
        {
            var terms = Terms(search.Query.Terms, arg);
            var excluded = Terms(search.Query.Excluded, arg);

            // Matches are the newest, as FTS5 reads them (see NewestMatching). Each match's row is read once, there,
            // for what ranks and filters it: headline matches first, then first-paragraph ones, asked of the small
            // headline and lede vectors kept in the row (see PostgresSchema.LedeVector). The rank is worked out as the
            // row is read, so the vectors are not carried through the matches and their sort.
            const string all = """(SELECT "All" FROM "Query")""";
            var rank = search.Query.NewestFirst
                ? "0"
                : $"""CASE WHEN a."{PostgresSchema.TitleVector}" @@ {all} THEN 0 WHEN a."{PostgresSchema.LedeVector}" @@ {all} THEN 1 ELSE 2 END""";
            ranked = $"""
                "Query" AS MATERIALIZED (SELECT {Any(terms)} AS "Any", {AllOf(terms)} AS "All"),
                {NewestMatching(Match(terms, excluded), $"""a."Id", a."Listed", a."SortKey", a."Language", {rank} AS "Rank" """, StoreDialect.Literal(counted))},
                "Ranked" AS MATERIALIZED (
                    SELECT a."Id", a."Rank" AS "Order1", -a."SortKey" AS "Order2"
                    FROM "Matches" a
                    WHERE a."Listed" = {search.Listed}{string.Concat(conditions.Select(c => " AND " + c))})
                """;
            query = """ CROSS JOIN "Query" q""";
            if (marked)
            {
                // Marked on what the page shows: the headline and lede whole, a passage of the text's bounded start.
                var text = $"""substr(a."BodyText", 1, {Highlighter.MaxTextLength})""";
                columns = $"""
                    ts_headline('{Configuration}', a."Title", q."Any", {arg(WholeText)}) AS "MarkedTitle",
                    ts_headline('{Configuration}', a."Lede", q."Any", {arg(WholeText)}) AS "MarkedLede",
                    {text} AS "Text", ts_headline('{Configuration}', {text}, q."Any", {arg(Passage)}) AS "MarkedText"
                    """;
            }
        }
        else
        {
            var (walked, walkedFrom) = ("", $"({search.Walk})");
            if (search.Query.Excluded.Count > 0)
            {
                // As on SQLite: the words left out are looked up once, among the ids the walk spans.
                walked = $"""
                    "Walked" AS MATERIALIZED {walkedFrom},
                    "Excluded" AS MATERIALIZED (
                        SELECT a."Id" FROM "Articles" a WHERE a."SearchVector" @@ {Any(Terms(search.Query.Excluded, arg))}
                        AND a."Id" >= (SELECT min("Id") FROM "Walked") AND a."Id" <= (SELECT max("Id") FROM "Walked")),
                    """;
                walkedFrom = "\"Walked\"";
                conditions.Add("""w."Id" NOT IN (SELECT "Id" FROM "Excluded")""");
            }

            var stories = search.JoinsStories ? """JOIN "Articles" a ON a."Id" = w."Id" """ : "";
            ranked = $"""
                {walked}
                "Ranked" AS MATERIALIZED (
                    SELECT w."Id", -w."SortKey" AS "Order1", -w."Id" AS "Order2" FROM {walkedFrom} w {stories}
                    {(conditions.Count > 0 ? "WHERE " + string.Join(" AND ", conditions) : "")}
                    ORDER BY w."SortKey" DESC, w."Id" DESC LIMIT {arg(counted)})
                """;
        }

        // Ties (stories of the same day) go newest added first, the order SQLite's matches come in.
        return $"""
            -- bounded: counts and sorts at most {search.MostRead} stories, marks at most {search.Take}
            WITH {ranked}
            SELECT a."Id", a."Title", a."Slug", a."PublishedOn", a."Language", (SELECT count(*) FROM "Ranked")::integer AS "Total",
                {columns}
            FROM (SELECT "Id", "Order1", "Order2" FROM "Ranked" ORDER BY "Order1", "Order2", "Id" DESC LIMIT {StoreDialect.Literal(search.Take)} OFFSET {StoreDialect.Literal(search.Skip)}) f
            JOIN "Articles" a ON a."Id" = f."Id"{query}
            ORDER BY f."Order1", f."Order2", f."Id" DESC
            """;
    }

    /// <summary>The ids of the newest <paramref name="limit"/> stories holding every term, as a subquery of "Id".</summary>
    public static string NewestMatches(SearchQuery query, Func<object, string> arg, int limit)
        => $"""
            WITH {NewestMatching(Match(Terms(query.Terms, arg), Terms(query.Excluded, arg)), "a.\"Id\"", StoreDialect.Literal(limit))}
            SELECT "Id" FROM "Matches"
            """;

    /// <summary>
    /// Common table expressions ending in "Matches": the <paramref name="columns"/> (of stories as <c>a</c>) of the
    /// newest <paramref name="limit"/> stories (by id, as FTS5 reads them) matching the tsquery <paramref name="match"/>.
    /// The GIN index yields every story holding a word, unordered, so a common word's newest thousand were found by
    /// reading every story holding it (140 ms at 1,000,000 stories). Here it is asked for the word among the newest
    /// blocks of ids first (<see cref="PostgresSchema.IdBlockLevels"/>: lexemes of the blocks each story lies in), then
    /// among the blocks before those at the next level, twice as large, and so on, each only while too few are found;
    /// the stories read are about the ones wanted, up to twice as many, however many hold the word. Older than every
    /// level (a store past four million ids), the rest are asked of the word alone.
    /// <para>
    /// A rare word (or words rarely together) is cheaper asked alone: intersecting the words' lists with each level's
    /// blocks cost twelve levels of about a millisecond ("ukraine russia talks", 489 stories at 1,000,000), the words
    /// alone one. So when the first levels found so few that the whole store likely holds under
    /// <see cref="SparseMost"/>, the older stories are asked of the words alone, reading at most that many and one
    /// more; only if there are more than that (an old topic, missing from the newest stories) do the levels go on.
    /// </para>
    /// </summary>
    private static string NewestMatching(string match, string columns, string limit)
    {
        const int shift = PostgresSchema.IdBlockShift;
        const int levels = PostgresSchema.IdBlockLevels;
        // The words alone (none when the search has no word to look for), and where a level's blocks begin.
        const string words = """(SELECT m."Q" FROM "Match" m WHERE numnode(m."Q") > 0)""";
        static string From(int level) => $"""(SELECT "From" FROM "Blocks" WHERE "Level" = {level})""";
        var tiers = new List<string>();
        for (var level = 0; level <= levels; level++)
        {
            // A level is read only if the ones before it found too few; the last reads what is older than all of them.
            var enough = level == 0 ? "" : $"""(SELECT "N" FROM "Found{level - 1}") < {limit} AND """;
            if (level > SparseAfterLevel)
            {
                enough += """NOT (SELECT "Done" FROM "SparseDone") AND """;
            }

            var blocks = level < levels
                ? $"""(SELECT m."Q" && b."Q" FROM "Match" m, "Blocks" b WHERE b."Level" = {level} AND numnode(m."Q") > 0)"""
                : $"""{words} AND {Older(From(levels - 1))}""";
            var before = level == 0 ? "" : $"""(SELECT "N" FROM "Found{level - 1}") + """;
            tiers.Add($"""
                "Level{level}" AS MATERIALIZED (SELECT {columns} FROM "Articles" a WHERE {enough}a."SearchVector" @@ {blocks}),
                "Found{level}" AS MATERIALIZED (SELECT {before}count(*) AS "N" FROM "Level{level}")
                """);
            if (level == SparseAfterLevel)
            {
                // Found n among the newest c of t ids: about n·t/c in all, the guess that decides it.
                var found = $"""(SELECT "N" FROM "Found{level}")""";
                var from = From(level);
                tiers.Add($"""
                    "SparseGuess" AS MATERIALIZED (
                        SELECT {found} < {limit} AND {found} * (n."Id" + 1) <= {SparseMost} * (n."Id" + 1 - greatest({from}, 0)) AS "Rare" FROM "Newest" n),
                    "Sparse" AS MATERIALIZED (
                        SELECT {columns} FROM "Articles" a
                        WHERE (SELECT "Rare" FROM "SparseGuess") AND a."SearchVector" @@ {words} AND {Older(from)}
                        LIMIT {SparseMost + 1}),
                    "SparseDone" AS MATERIALIZED (SELECT (SELECT "Rare" FROM "SparseGuess") AND count(*) <= {SparseMost} AS "Done" FROM "Sparse")
                    """);
            }
        }

        var parts = Enumerable.Range(0, levels + 1).Select(l => $"SELECT * FROM \"Level{l}\"").ToList();
        parts.Insert(SparseAfterLevel + 1, """SELECT * FROM "Sparse" WHERE (SELECT "Done" FROM "SparseDone")""");

        // Each level's blocks run from the one holding the newest id (or the one before the level above began) back to
        // where a block of the next level begins, two or three blocks, so no story is in two levels.
        return $"""
            "Match" AS MATERIALIZED (SELECT {match} AS "Q"),
            "Newest" AS MATERIALIZED (SELECT coalesce(max("Id"), 0)::bigint AS "Id" FROM "Articles"),
            "Blocks" AS MATERIALIZED (
                WITH RECURSIVE b("Level", "High", "From") AS (
                    SELECT 0, t."High", ((t."High" - 1) >> 1) << {shift + 1}
                    FROM (SELECT "Id" >> {shift} AS "High" FROM "Newest") t
                    UNION ALL
                    SELECT n."Level", n."High", ((n."High" - 1) >> 1) << ({shift + 1} + n."Level")
                    FROM (SELECT b."Level" + 1 AS "Level", (b."From" >> ({shift + 1} + b."Level")) - 1 AS "High" FROM b WHERE b."Level" < {levels - 1}) n)
                SELECT b."Level", b."From",
                    (SELECT string_agg(quote_literal({PostgresSchema.IdBlock("b.\"Level\"", "n")}), ' | ')
                     FROM generate_series(b."From" >> ({shift} + b."Level"), b."High") n)::tsquery AS "Q"
                FROM b),
            {string.Join(",\n", tiers)},
            "Matches" AS MATERIALIZED (
                SELECT * FROM ({string.Join(" UNION ALL ", parts)}) m
                ORDER BY m."Id" DESC LIMIT {limit})
            """;
    }

    /// <summary>
    /// Stories (as <c>a</c>) with ids below <paramref name="bound"/>, checked on the rows the words' index found: asked of the primary key as well,
    /// PostgreSQL read it for every older id (a million at 1,000,000 stories, 43 ms) to intersect with a few hundred.
    /// </summary>
    private static string Older(string bound) => $"""a."Id" + 0 < {bound}""";

    /// <summary>The level after which a search whose words look rare asks the older stories of its words alone.</summary>
    private const int SparseAfterLevel = 2;

    /// <summary>How many older stories the words alone may read (see <see cref="NewestMatching"/>): a few milliseconds' worth.</summary>
    private const int SparseMost = 1000;

    /// <summary>
    /// The ids of the stories with any of these words in their headline that were stored nearest to story
    /// <paramref name="id"/>: the <paramref name="before"/> stored last before it and the <paramref name="after"/> stored
    /// first after it. Each word's stories come from the headline words' primary key, read from the story's id each way
    /// and stopping after a few, as FTS5 answers the same question on SQLite.
    /// </summary>
    public static string HeadlineWordsAround(IEnumerable<string> words, Func<object, string> arg, object id, int before, int after)
    {
        var wordList = $"""unnest(tsvector_to_array(to_tsvector('{Configuration}', {PostgresSchema.SearchText}(concat_ws(' ', {string.Join(", ", words.Select(w => arg(w)))})))))""";
        var at = arg(id);
        return SearchService.Around((compare, order, limit) => $"""
            (SELECT "Id" FROM (
                SELECT DISTINCT h."ArticleId" AS "Id"
                FROM {wordList} AS w("Word")
                CROSS JOIN LATERAL (
                    SELECT x."ArticleId" FROM "{PostgresSchema.HeadlineWords}" x WHERE x."Word" = w."Word" AND x."ArticleId" {compare} {at}
                    ORDER BY x."ArticleId" {order} LIMIT {StoreDialect.Literal(limit)}) h) n
            ORDER BY "Id" {order} LIMIT {StoreDialect.Literal(limit)})
            """, before, after);
    }

    /// <summary>
    /// The passage ts_headline chose, cut as <see cref="Highlighter.Snippet"/> cuts it: "…" where words were left out,
    /// the text's own ending (its full stop) where it runs to the end. Null when nothing in it matched.
    /// </summary>
    public static string? Snippet(string text, string? marked)
    {
        if (marked is null || !marked.Contains(SearchService.MarkStart, StringComparison.Ordinal))
        {
            return null;
        }

        // A passage is the text from one word to another, the marks aside.
        var passage = SearchService.Unmarked(marked);
        var at = text.IndexOf(passage, StringComparison.Ordinal);
        if (at < 0)
        {
            return "…" + marked + "…";
        }

        // ts_headline ends a passage at a word, leaving off numbers after it ("the most since" of "… since 2019."); a
        // short rest of numbers and punctuation is the text's end, which SQLite's passage keeps.
        var rest = text[(at + passage.Length)..];
        var ends = !rest.Any(char.IsLetterOrDigit) || (rest.Length <= NumbersAtTheEnd && !rest.Any(char.IsLetter));
        return (text[..at].Any(char.IsLetterOrDigit) ? "…" : "") + marked + (ends ? rest : "…");
    }

    /// <summary>How long a rest of numbers after ts_headline's passage is taken as the text's end rather than cut.</summary>
    private const int NumbersAtTheEnd = 32;

    /// <summary>
    /// Every term, somewhere; none of the excluded. A search whose terms give no word to look for matches nothing
    /// (rather than everything but the excluded, which no index can answer).
    /// </summary>
    private static string Match(List<Term> terms, List<Term> excluded)
    {
        var all = "(" + string.Join(" && ", terms.Select(InAnyField)) + ")";
        return excluded.Count == 0 ? all : $"CASE WHEN numnode({all}) = 0 THEN {all} ELSE {all} && !!{Any(excluded)} END";
    }

    private static string Any(List<Term> terms) => "(" + string.Join(" || ", terms.Select(t => Lexemes(t.Text, null))) + ")";

    private static string AllOf(List<Term> terms) => "(" + string.Join(" && ", terms.Select(t => Lexemes(t.Text, null))) + ")";

    /// <summary>
    /// A term anywhere. A phrase must lie within one field, as FTS5 reads each column apart: the vector numbers the
    /// lede's words on from the headline's, so a phrase could otherwise run from the end of one into the other.
    /// </summary>
    private static string InAnyField(Term term)
        => term.IsPhrase ? $"({Lexemes(term.Text, 'A')} || {Lexemes(term.Text, 'B')} || {Lexemes(term.Text, 'C')})" : Lexemes(term.Text, null);

    /// <summary>
    /// A term's words as one quoted operand, a phrase if there are several, in one field if a weight is given. The
    /// space before the closing quote keeps the operand from being empty, which to_tsquery would refuse.
    /// </summary>
    private static string Lexemes(string text, char? weight)
        => $"to_tsquery('{Configuration}', '''' || {PostgresSchema.SearchText}({text}) || ' ''{(weight is { } w ? ":" + w : "")}')";

    private static List<Term> Terms(IEnumerable<string> terms, Func<object, string> arg)
        => [.. terms.Select(t => new Term(arg(t), WordPattern().Count(t) > 1))];

    /// <summary>A term as an SQL argument, and whether it holds more than one word (as SQLite's unicode61 splits them).</summary>
    private sealed record Term(string Text, bool IsPhrase);

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{M}\p{N}]*")]
    private static partial Regex WordPattern();
}
