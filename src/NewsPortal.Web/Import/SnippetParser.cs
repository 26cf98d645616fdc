using System.Globalization;
using System.Text.RegularExpressions;

namespace NewsPortal.Web.Import;

/// <summary>
/// Reads the snippet text format: a title line, then labelled header lines ("Published on", "Document Date",
/// "Category", "Show on website", a bare site name, "Sources"), then the story in paragraphs, the first of which
/// may open with a dateline such as "ISTANBUL –". Tolerant of layout (blank lines, CRLF, a BOM), strict about
/// what a story needs: a title, a real published date and a body.
/// </summary>
public static partial class SnippetParser
{
    private static readonly string[] DateFormats =
    [
        "MMMM d, yyyy", "MMMM d yyyy", "MMM d, yyyy", "MMM d yyyy", "MMM. d, yyyy",
        "d MMMM yyyy", "d MMMM, yyyy", "d MMM yyyy", "d MMM, yyyy", "yyyy-MM-dd",
    ];

    private static readonly string[] TimeFormats = ["h:mm:ss tt", "h:mm tt", "h:mmtt", "h:mm:sstt", "H:mm:ss", "H:mm"];

    private static readonly string[] DateTimeFormats =
    [
        .. DateFormats.SelectMany(d => TimeFormats.Select(t => $"{d} {t}")),
        .. DateFormats.SelectMany(d => TimeFormats.Select(t => $"{d}, {t}")),
        .. DateFormats.SelectMany(d => TimeFormats.Select(t => $"{d} 'at' {t}")),
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    ];

    private static readonly Lazy<Dictionary<string, string>> LanguagesByName = new(BuildLanguageNames);

    /// <summary>Words a paragraph needs before its missing full stop reads as a sentence cut short rather than a line of its own.</summary>
    private const int MinimumBrokenWords = 15;

    public static SnippetParseResult Parse(string text, string fileName)
    {
        var lines = SplitLines(text);
        var problems = new List<ImportProblem>();
        void Problem(int line, string reason) => problems.Add(new ImportProblem(fileName, line, reason));

        var index = SkipBlank(lines, 0);
        if (index >= lines.Count)
        {
            Problem(1, "the file is empty: a snippet needs a title, a 'Published on' date and a body");
            return new SnippetParseResult(null, problems);
        }

        var titleLine = index + 1;
        var title = Text(TitleLabel().Replace(lines[index], ""));
        if (PublishedLabel().IsMatch(title) || DocumentDateLabel().IsMatch(title) || CategoryLabel().IsMatch(title))
        {
            Problem(titleLine, "the snippet starts with a header line, not a title");
            return new SnippetParseResult(null, problems);
        }

        index++;

        var header = new Header();
        for (index = SkipBlank(lines, index); index < lines.Count; index = SkipBlank(lines, index + 1))
        {
            if (ReadHeaderLine(lines[index].Trim(), index + 1, header, Problem))
            {
                continue;
            }

            // A label this importer does not know, with headers after it, is still the header block: never story.
            var next = SkipBlank(lines, index + 1);
            if (UnknownLabel().Match(lines[index].Trim()) is { Success: true } unknown && !IsSentence(lines[index].Trim())
                && next < lines.Count && LooksLikeHeader(lines[next].Trim()))
            {
                Problem(index + 1, $"'{unknown.Groups["label"].Value}:' is not a header this importer reads (Published on, Document Date, Category, "
                    + "Show on website, Sources, Language, Site, License, Topics, Image, Image alt); remove it or put it in the story below the headers");
                continue;
            }

            break;
        }

        var bodyLine = Math.Min(index, lines.Count) + 1;
        var paragraphs = ReadParagraphs(lines, index);
        string? dateline = null;
        if (paragraphs.Count > 0 && DatelinePattern().Match(paragraphs[0]) is { Success: true } match)
        {
            dateline = match.Groups["place"].Value.Trim();
            paragraphs[0] = match.Groups["rest"].Value;
        }

        if (title.Length == 0)
        {
            Problem(titleLine, "the title is empty");
        }

        if (header.PublishedOn is null && !header.PublishedSeen)
        {
            Problem(bodyLine, "no 'Published on' date before the story begins");
        }

        if (paragraphs.Count == 0)
        {
            Problem(bodyLine, "the snippet has no body text");
        }

        if (problems.Count > 0)
        {
            return new SnippetParseResult(null, problems);
        }

        var language = header.Language ?? header.Categories.Select(LanguageTagFor).FirstOrDefault(tag => tag is not null);
        var document = new SnippetDocument(
            title, header.PublishedOn!.Value, header.DocumentDate, language, header.Categories,
            header.OriginalUrl, header.Site, header.Sources, dateline, string.Join("\n\n", paragraphs))
        {
            License = header.License,
            Thread = header.Thread,
            ImageUrl = header.ImageUrl,
            ImageAlt = header.ImageAlt,
        };
        return new SnippetParseResult(document, problems);
    }

    /// <summary>The BCP 47 tag for a language written as a category, such as "English" → "en"; null when it names none.</summary>
    public static string? LanguageTagFor(string name)
        => LanguagesByName.Value.TryGetValue(name.Trim(), out var tag) ? tag : null;

    public static bool TryParseDate(string value, out DateOnly date)
        => DateOnly.TryParseExact(WithoutWeekday(value), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out date);

    public static bool TryParseDateTime(string value, out DateTime dateTime)
    {
        var normalized = Spaces().Replace(WithoutWeekday(value), " ");
        return DateTime.TryParseExact(normalized, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out dateTime);
    }

    /// <summary>
    /// Reads one line of the header block, or returns false where the story begins. A line that opens with a label
    /// word but is a sentence ("Published on Monday, the ministry said…", "Sources close to the talks said…") and
    /// is not that header's kind of value begins the story; one that is neither is reported with its line.
    /// </summary>
    private static bool ReadHeaderLine(string line, int lineNumber, Header header, Action<int, string> problem)
    {
        var sentence = IsSentence(line);
        if (PublishedLabel().Match(line) is { Success: true } published && header.First("published")
            && (!sentence || TryParseDate(published.Groups["value"].Value.Trim().TrimEnd('.'), out _)))
        {
            var value = published.Groups["value"].Value.Trim();
            header.PublishedSeen = true;
            if (TryParseDate(value.TrimEnd('.'), out var date))
            {
                header.PublishedOn = date;
            }
            else
            {
                problem(lineNumber, $"'Published on' date '{value}' is not a real date; write it as June 2, 2025, 2 June 2025 or 2025-06-02");
            }
        }
        else if (DocumentDateLabel().Match(line) is { Success: true } documentDate && !sentence && header.First("document date"))
        {
            var value = documentDate.Groups["value"].Value.Trim();
            if (TryParseDateTime(value, out var when))
            {
                header.DocumentDate = when;
            }
            else
            {
                problem(lineNumber, $"'Document Date' '{value}' is not a real date and time; write it as Sat, Mar 28 2026 08:51:11 am or 2026-03-28T08:51:11");
            }
        }
        else if (CategoryLabel().Match(line) is { Success: true } categories && !sentence && header.First("category"))
        {
            header.Categories = SplitNames(categories.Groups["value"].Value, CategorySeparators());
        }
        else if (LinkLabel().Match(line) is { Success: true } link && !(sentence && !link.Groups["value"].Value.Contains("://", StringComparison.Ordinal)) && header.First("link"))
        {
            header.OriginalUrl = ReadLink(link.Groups["value"].Value, lineNumber, problem);
        }
        else if (SourcesLabel().Match(line) is { Success: true } sources && !sentence && header.First("sources"))
        {
            header.Sources = SplitNames(sources.Groups["value"].Value, SourceSeparators());
        }
        else if (LanguageLabel().Match(line) is { Success: true } language && !(sentence && LanguageTagFor(language.Groups["value"].Value) is null) && header.First("language"))
        {
            var value = language.Groups["value"].Value.Trim();
            header.Language = LanguageTagFor(value) ?? (SnippetRules.IsLanguageTag(value) ? value : null);
            if (header.Language is null)
            {
                problem(lineNumber, $"'Language' '{value}' is neither a language name nor a BCP 47 tag such as en or tr");
            }
        }
        else if (LicenseLabel().Match(line) is { Success: true } license && !sentence && header.First("license"))
        {
            header.License = license.Groups["value"].Value.Trim();
        }
        else if (ImageAltLabel().Match(line) is { Success: true } imageAlt && header.First("image alt"))
        {
            header.ImageAlt = imageAlt.Groups["value"].Value.Trim();
        }
        else if (ImageLabel().Match(line) is { Success: true } image && header.First("image"))
        {
            header.ImageUrl = image.Groups["value"].Value.Trim();
        }
        else if (TopicsLabel().Match(line) is { Success: true } topics && header.First("topics"))
        {
            header.Thread = InnermostTopic(topics.Groups["value"].Value);
        }
        else if (SiteLabel().Match(line) is { Success: true } site && header.First("site"))
        {
            header.Site = site.Groups["value"].Value.Trim().TrimEnd('/').ToLowerInvariant();
        }
        else if (BareSite().Match(line) is { Success: true } bareSite && header.First("site"))
        {
            header.Site = bareSite.Groups["host"].Value.ToLowerInvariant();
        }
        else
        {
            return false;
        }

        return true;
    }

    private static string? ReadLink(string value, int lineNumber, Action<int, string> problem)
    {
        var trimmed = value.Trim();
        var target = MarkdownLink().Match(trimmed) is { Success: true } markdown ? markdown.Groups["url"].Value
            : trimmed.StartsWith('<') && trimmed.EndsWith('>') ? trimmed[1..^1]
            : trimmed;
        target = target.Trim();
        if (target.Length == 0 || target == "#")
        {
            return null;
        }

        if (SnippetRules.IsWebAddress(target))
        {
            return target;
        }

        problem(lineNumber, $"'Show on website' link '{target}' is not an http or https address");
        return null;
    }

    private static List<string> ReadParagraphs(List<string> lines, int start)
    {
        var blocks = new List<(string Text, bool Deliberate)>();
        var current = new List<string>();
        var blanks = 0;
        for (var i = start; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                Flush();
                blanks++;
            }
            else
            {
                if (current.Count == 0)
                {
                    blanks = blocks.Count == 0 ? 0 : blanks;
                }

                current.Add(lines[i].TrimEnd());
            }
        }

        Flush();
        return JoinBrokenParagraphs(blocks);

        void Flush()
        {
            if (current.Count > 0)
            {
                blocks.Add((string.Join('\n', current).Trim(), blanks >= 2));
                current.Clear();
                blanks = 0;
            }
        }
    }

    /// <summary>
    /// Snippet files often break a paragraph mid-sentence ("…chaired by Turkish Foreign" / "Minister Hakan Fidan.").
    /// Only a plainly broken sentence is joined: a paragraph of prose, long enough to be one, that stops without
    /// ending, followed by more prose. A short line ("Read more", a heading) and an attribution ("—Troy Roberts")
    /// stay paragraphs of their own, and so does a paragraph after two blank lines, which is how
    /// <see cref="SnippetWriter"/> keeps apart two paragraphs this rule would join. <c>ParagraphRoundTripTests</c>
    /// holds the rule to every paragraph of the corpus.
    /// </summary>
    private static List<string> JoinBrokenParagraphs(List<(string Text, bool Deliberate)> blocks)
    {
        var joined = new List<string>();
        foreach (var (block, deliberate) in blocks)
        {
            if (joined.Count > 0 && !deliberate && WouldJoin(joined[^1], block))
            {
                joined[^1] = joined[^1] + " " + block;
            }
            else
            {
                joined.Add(block);
            }
        }

        return joined;
    }

    /// <summary>A line of prose: five words or more, ending as a sentence ends.</summary>
    private static bool IsSentence(string line)
        => line.Length > 0 && ".!?…".Contains(line[^1], StringComparison.Ordinal) && line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 5;

    private static bool EndsSentence(string paragraph) => paragraph.Length > 0 && ".!?…:;\"”’')]»*_`".Contains(paragraph[^1], StringComparison.Ordinal);

    private static bool IsProse(string paragraph) => !MarkdownBlockStart().IsMatch(paragraph);

    /// <summary>
    /// Whether <paramref name="paragraph"/> is a sentence cut short that <paramref name="next"/> continues: it stops
    /// without ending, and either the next one goes on in lower case or it is a paragraph's length (a caption, a
    /// heading or a one-line paragraph is shorter).
    /// </summary>
    public static bool WouldJoin(string paragraph, string next)
        => !EndsSentence(paragraph) && IsProse(paragraph) && !IsAttribution(paragraph) && IsProse(next) && !IsAttribution(next)
            && (char.IsLower(next[0]) || paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= MinimumBrokenWords);

    private static bool IsAttribution(string paragraph) => paragraph.Length > 0 && paragraph[0] is '—' or '–' or '-' or '~';

    private static List<string> SplitNames(string value, Regex separators)
    {
        // A name in double quotes is taken as written, separators, dots and all (see QuoteName).
        var quotes = QuotedName().Matches(value).Select(m => (Start: m.Index, End: m.Index + m.Length)).ToList();
        var parts = new List<string>();
        var from = 0;
        foreach (Match separator in separators.Matches(value))
        {
            if (separator.Index >= from && !quotes.Any(q => separator.Index > q.Start && separator.Index < q.End))
            {
                parts.Add(value[from..separator.Index]);
                from = separator.Index + separator.Length;
            }
        }

        parts.Add(value[from..]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var part in parts)
        {
            var name = WholeQuotedName().Match(part.Trim()) is { Success: true } whole
                ? Text(whole.Groups["name"].Value.Replace("\"\"", "\"", StringComparison.Ordinal)).Trim()
                : Text(part.Trim().Trim('-', '–', '—', '•', '·', '.', ' ', '\t'));
            if (name.Length > 0 && seen.Add(Shared.NameKey.For(name)))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>A category as the "Category:" header writes it: in double quotes when, written bare, it would not be read back as itself.</summary>
    public static string QuoteCategory(string name) => QuoteName(name, CategorySeparators());

    /// <summary>A source as the "Sources" line writes it (see <see cref="QuoteCategory"/>).</summary>
    public static string QuoteSource(string name) => QuoteName(name, SourceSeparators());

    /// <summary>
    /// Quoted when a separator is in it ("Arts, culture and entertainment") or the reader would trim it ("U.S."), as
    /// JSON Lines and the API keep such names.
    /// </summary>
    private static string QuoteName(string name, Regex separators)
        => SplitNames(name, separators) is [var same] && same == name && !name.StartsWith('"')
            ? name
            : $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static List<string> SplitLines(string text)
        => [.. Shared.Text.Clean(text).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n')];

    private static int SkipBlank(List<string> lines, int index)
    {
        while (index < lines.Count && string.IsNullOrWhiteSpace(lines[index]))
        {
            index++;
        }

        return index;
    }

    private static string Text(string value) => Shared.Text.CollapseWhitespace(value);

    private static string WithoutWeekday(string value) => Weekday().Replace(value.Trim(), "");

    private static Dictionary<string, string> BuildLanguageNames()
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.NeutralCultures))
        {
            if (culture.Name.Length is 2 or 3 && !culture.EnglishName.Contains('(', StringComparison.Ordinal))
            {
                names.TryAdd(culture.EnglishName, culture.Name);
            }
        }

        return names;
    }

    private sealed class Header
    {
        private readonly HashSet<string> _seen = [];

        /// <summary>
        /// Whether this is the first header line of its kind. A second one is where the story begins: a body
        /// opening "Sources say…" or "Published reports…" reads like a header line but is not one.
        /// </summary>
        public bool First(string label) => _seen.Add(label);

        public bool PublishedSeen { get; set; }
        public DateOnly? PublishedOn { get; set; }
        public DateTime? DocumentDate { get; set; }
        public List<string> Categories { get; set; } = [];
        public string? OriginalUrl { get; set; }
        public string? Site { get; set; }
        public List<string> Sources { get; set; } = [];
        public string? Language { get; set; }
        public string? License { get; set; }
        public string? Thread { get; set; }
        public string? ImageUrl { get; set; }
        public string? ImageAlt { get; set; }
    }

    /// <summary>The last of topics written outermost first ("Middle Eastern crisis > Gaza war"): the story's own thread.</summary>
    public static string? InnermostTopic(string topics)
    {
        var innermost = WholeQuotedName().Match(topics.Trim()) is { Success: true } quoted
            ? Text(quoted.Groups["name"].Value.Replace("\"\"", "\"", StringComparison.Ordinal)).Trim()
            : topics.Split('>', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return string.IsNullOrEmpty(innermost) ? null : innermost;
    }

    /// <summary>A developing story as the "Topics:" line writes it: in double quotes when, written bare, it would be read as a path.</summary>
    public static string QuoteTopic(string thread)
        => InnermostTopic(thread) == thread && !thread.StartsWith('"') ? thread : $"\"{thread.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static bool LooksLikeHeader(string line)
        => PublishedLabel().IsMatch(line) || DocumentDateLabel().IsMatch(line) || CategoryLabel().IsMatch(line) || LinkLabel().IsMatch(line)
            || SourcesLabel().IsMatch(line) || LanguageLabel().IsMatch(line) || LicenseLabel().IsMatch(line) || TopicsLabel().IsMatch(line) || ImageLabel().IsMatch(line) || ImageAltLabel().IsMatch(line) || SiteLabel().IsMatch(line) || BareSite().IsMatch(line);

    [GeneratedRegex(@"^licen[cs]e\s*:\s*(?<value>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex LicenseLabel();

    [GeneratedRegex(@"^(topics?|thread)\s*:\s*(?<value>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex TopicsLabel();

    [GeneratedRegex(@"^image\s*:\s*(?<value>\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex ImageLabel();

    [GeneratedRegex(@"^image\s+alt\s*:\s*(?<value>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex ImageAltLabel();

    [GeneratedRegex(@"^(?<label>\p{L}[\p{L}\p{M} ]{0,30}?)\s*:\s*\S")]
    private static partial Regex UnknownLabel();

    [GeneratedRegex(@"^\s*title\s*:\s*", RegexOptions.IgnoreCase)]
    private static partial Regex TitleLabel();

    [GeneratedRegex(@"^published(\s+on)?\s*:?\s+(?<value>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex PublishedLabel();

    [GeneratedRegex(@"^document\s+date\s*:?\s*(?<value>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex DocumentDateLabel();

    [GeneratedRegex(@"^categor(y|ies)\s*:\s*(?<value>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex CategoryLabel();

    [GeneratedRegex(@"^(show\s+on\s+website|original\s+url|link)\s*:\s*(?<value>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex LinkLabel();

    [GeneratedRegex(@"^sources?(\s*:\s*|\s+)(?<value>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex SourcesLabel();

    [GeneratedRegex(@"^language\s*:\s*(?<value>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex LanguageLabel();

    [GeneratedRegex(@"^site\s*:\s*(?<value>\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex SiteLabel();

    [GeneratedRegex(@"^(https?://)?(?<host>([a-z0-9](-*[a-z0-9])*\.)+[a-z]{2,63})/?$", RegexOptions.IgnoreCase)]
    private static partial Regex BareSite();

    [GeneratedRegex(@"\[[^\]]*\]\(\s*(?<url>[^)\s]*)\s*\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex("\"(?:[^\"]|\"\")*\"")]
    private static partial Regex QuotedName();

    [GeneratedRegex("^\"(?<name>(?:[^\"]|\"\")*)\"$")]
    private static partial Regex WholeQuotedName();

    // Commas, semicolons and pipes, and a dash with space on both sides (",International - ,Snippets").
    [GeneratedRegex(@"[,;|]|\s[-–—]\s|\s[-–—]$")]
    private static partial Regex CategorySeparators();

    // Only commas and semicolons: "The Globe and Mail" is one source.
    [GeneratedRegex(@"[,;]")]
    private static partial Regex SourceSeparators();

    // An upper-case place name, then a dash: "ISTANBUL – ", "NEW YORK — ", "U.S. - ".
    [GeneratedRegex(@"^(?<place>\p{Lu}[\p{Lu}\p{M}.'’ ]*\p{Lu}\.?)\s+[–—-]{1,2}\s+(?<rest>\S.*)$", RegexOptions.Singleline)]
    private static partial Regex DatelinePattern();

    [GeneratedRegex(@"^(#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\||```|~~~)")]
    private static partial Regex MarkdownBlockStart();

    [GeneratedRegex(@"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Weekday();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
