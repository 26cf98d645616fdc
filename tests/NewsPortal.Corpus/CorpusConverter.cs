using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NewsPortal.Web.Import;
using NewsPortal.Web.Shared;

namespace NewsPortal.Corpus;

/// <summary>
/// Converts the corpus into stories: Wikipedia current-events items (CC BY-SA 4.0, Wikipedia contributors) and
/// full Wikinews articles (CC BY 2.5, Wikinews contributors). Items have no headline, so the first sentence is one.
/// </summary>
public static partial class CorpusConverter
{
    public const int CurrentEventsCount = 10_252;
    /// <summary>295 rows, less one "TEST PAGE" with no text at all, which no portal should publish.</summary>
    public const int WikinewsCount = 294;

    public static IEnumerable<SnippetDocument> CurrentEvents(string path, int copy = 1)
    {
        foreach (var line in File.ReadLines(path))
        {
            using var json = JsonDocument.Parse(line);
            var item = json.RootElement;
            var id = item.GetProperty("id").GetString()!;
            var date = DateOnly.ParseExact(item.GetProperty("date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var text = item.GetProperty("text").GetString()!;
            var sources = item.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToList();
            var prefix = copy == 1 ? "" : $"[{copy}] ";
            var title = prefix + FirstSentence(text, 300 - prefix.Length);
            var page = date.ToString("yyyy_MMMM_d", CultureInfo.InvariantCulture);
            yield return new SnippetDocument(
                title,
                date,
                null,
                item.GetProperty("language").GetString(),
                [item.GetProperty("category").GetString()!],
                $"https://en.wikipedia.org/wiki/Portal:Current_events/{page}#{id}{(copy == 1 ? "" : $"-{copy}")}",
                "en.wikipedia.org",
                sources,
                null,
                item.GetProperty("text_markdown").GetString()!)
            {
                // The innermost heading is the most specific running story ("2026 Strait of Hormuz crisis" within the Iran war).
                Thread = item.TryGetProperty("topics", out var topics) && topics.GetArrayLength() > 0 ? topics[topics.GetArrayLength() - 1].GetString() : null,
            };
        }
    }

    public static IEnumerable<SnippetDocument> Wikinews(string path)
    {
        foreach (var row in Csv.Read(path).Skip(1))
        {
            var (url, date, title, text) = (row[0], row[1], row[2], row[3]);
            var paragraphs = Regex.Split(text.Replace("\r\n", "\n", StringComparison.Ordinal), @"\n\s*\n")
                .Select(p => p.Trim())
                .Where(p => p.Length > 0)
                .ToList();

            // The first line usually repeats the date ("Friday, January 4, 2019").
            if (paragraphs.Count > 0 && SnippetParser.TryParseDate(paragraphs[0], out _))
            {
                paragraphs.RemoveAt(0);
            }

            if (paragraphs.Count == 0)
            {
                continue;
            }

            yield return new SnippetDocument(
                title,
                DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                null,
                "en",
                ["Wikinews"],
                url,
                "en.wikinews.org",
                ["Wikinews"],
                null,
                string.Join("\n\n", paragraphs));
        }
    }

    /// <summary>Writes current events as JSON Lines (<paramref name="copies"/> files, titles and URLs varied in each copy) and Wikinews as snippet files.</summary>
    public static void Write(string directory, int copies = 1)
    {
        Directory.CreateDirectory(directory);
        var utf8 = new UTF8Encoding(false);
        // One file per copy keeps each under the import's file-size limit however many copies are made.
        for (var copy = 1; copy <= copies; copy++)
        {
            var name = copy == 1 ? "current-events.jsonl" : $"current-events-{copy}.jsonl";
            using var jsonLines = new StreamWriter(Path.Combine(directory, name), false, utf8) { NewLine = "\n" };
            foreach (var document in CurrentEvents(CorpusFiles.CurrentEvents, copy))
            {
                jsonLines.WriteLine(JsonLines.Write(document));
            }
        }

        var wikinews = Path.Combine(directory, "wikinews");
        Directory.CreateDirectory(wikinews);
        var n = 0;
        foreach (var file in CorpusFiles.Wikinews)
        {
            foreach (var document in Wikinews(file))
            {
                File.WriteAllText(Path.Combine(wikinews, $"{++n:D4}.txt"), SnippetWriter.Write(document), utf8);
            }
        }
    }

    /// <summary>The current-events items as one snippet file each, the way a newsroom's feed drops them in a folder.</summary>
    public static int WriteSnippets(string directory)
    {
        Directory.CreateDirectory(directory);
        var utf8 = new UTF8Encoding(false);
        var n = 0;
        foreach (var document in CurrentEvents(CorpusFiles.CurrentEvents))
        {
            File.WriteAllText(Path.Combine(directory, $"{++n:D5}.txt"), SnippetWriter.Write(document), utf8);
        }

        return n;
    }

    /// <summary>
    /// A store of <paramref name="count"/> stories for benchmarks, as JSON Lines files of at most
    /// <paramref name="perFile"/> stories: the current-events items over and over, each copy's titles, slugs and URLs
    /// varied, their dates spread evenly over the ten years up to the minute it is written (with times of day), their
    /// categories and sources kept, so listings have realistic sizes, and the last days hold a day's news as a newsroom's
    /// store would (274 stories a day at 1,000,000): pages of recent news, the news sitemap above all, are measured
    /// full. Returns the files written.
    /// </summary>
    public static IReadOnlyList<string> WriteStore(string directory, int count, int perFile = 25_000)
    {
        Directory.CreateDirectory(directory);
        var items = CurrentEvents(CorpusFiles.CurrentEvents).ToList();
        var now = DateTime.UtcNow;
        var end = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Unspecified).AddMinutes(-1);
        var span = TimeSpan.FromDays(3652);
        var utf8 = new UTF8Encoding(false);
        var files = new List<string>();
        StreamWriter? writer = null;
        for (var i = 0; i < count; i++)
        {
            if (i % perFile == 0)
            {
                writer?.Dispose();
                files.Add(Path.Combine(directory, $"store-{files.Count + 1:D4}.jsonl"));
                writer = new StreamWriter(files[^1], false, utf8) { NewLine = "\n" };
            }

            var item = items[i % items.Count];
            var copy = (i / items.Count) + 1;
            // Oldest first, so ids rise with time as they would in a newsroom's store.
            var at = end - TimeSpan.FromTicks(span.Ticks / Math.Max(1, count - 1) * (count - 1 - i));
            var title = copy == 1 ? item.Title : $"{item.Title.TrimEnd('.', '…')} ({copy})";
            writer!.WriteLine(JsonLines.Write(item with
            {
                Title = title.Length <= 300 ? title : title[..299] + "…",
                PublishedOn = DateOnly.FromDateTime(at),
                DocumentDate = at,
                OriginalUrl = $"{item.OriginalUrl}-{copy}",
                Slug = Slug.WithNumber(Slug.From(item.Title, "story"), i + 1),
                CreatedAtUtc = DateTime.SpecifyKind(at, DateTimeKind.Utc),
                UpdatedAtUtc = DateTime.SpecifyKind(at, DateTimeKind.Utc),
            }));
        }

        writer?.Dispose();
        return files;
    }

    private static string FirstSentence(string text, int maxLength)
    {
        var match = SentenceEnd().Match(text);
        var sentence = match.Success ? text[..(match.Index + 1)] : text;
        return sentence.Length <= maxLength ? sentence : sentence[..(maxLength - 1)].TrimEnd() + "…";
    }

    // A full stop, question or exclamation mark followed by a space and a capital: the end of a sentence
    // (not "U.S. forces" or "St. Louis" often enough to matter for a headline).
    [GeneratedRegex(@"(?<![A-Z])[.!?](?=\s+[A-Z""“])")]
    private static partial Regex SentenceEnd();
}
