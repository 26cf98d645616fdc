using System.Globalization;
using System.Text.Json;
using NewsPortal.Web.Threads;
using Xunit.Abstractions;

namespace NewsPortal.Tests.Threads;

/// <summary>Runs only when NEWSPORTAL_CORPUS names the corpus's current-events.jsonl (scripts/thread-suggestions.sh).</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute()
    {
        if (!File.Exists(Environment.GetEnvironmentVariable("NEWSPORTAL_CORPUS")))
        {
            Skip = "Set NEWSPORTAL_CORPUS to the corpus's current-events.jsonl (scripts/thread-suggestions.sh does)";
        }
    }
}

/// <summary>
/// The thread suggestion measured against the corpus's own topics: the items are replayed in date order, each joining
/// its innermost topic's thread; on every seventh day, each item is first asked for a suggestion from the threads as
/// they stood (the 200 most recently active, each by its newest 30 stories, as the editor's is made), as the editor
/// asks for any story in no thread. A suggestion is right when it is one of the item's topics, so one made for an item
/// with no topic is wrong; recall is over the items with a topic.
/// </summary>
public sealed class ThreadSuggestionQualityTests(ITestOutputHelper output)
{
    private sealed record Item(string Date, string Text, string Category, string[] Topics);

    private sealed record Stored(string Text, DateOnly On, string Category);

    [CorpusFact]
    public void OnHeldOutDays_TheSuggestion_IsRightMoreOftenThanNot()
    {
        var items = File.ReadLines(Environment.GetEnvironmentVariable("NEWSPORTAL_CORPUS")!)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => new Item(
                e.GetProperty("date").GetString()!,
                e.GetProperty("text").GetString()!,
                e.TryGetProperty("category", out var c) ? c.GetString() ?? "" : "",
                e.TryGetProperty("topics", out var t) && t.ValueKind == JsonValueKind.Array ? [.. t.EnumerateArray().Select(x => x.GetString()!)] : []))
            .OrderBy(i => i.Date, StringComparer.Ordinal)
            .ToList();
        var days = items.Select(i => i.Date).Distinct().ToList();
        var heldOut = days.Where((_, index) => index % 7 == 0).ToHashSet(StringComparer.Ordinal);

        var threads = new Dictionary<string, (List<Stored> Stories, int Last)>(StringComparer.Ordinal);
        var (held, asked, suggested, right, order) = (0, 0, 0, 0, 0);
        foreach (var item in items)
        {
            var text = item.Text;
            if (heldOut.Contains(item.Date))
            {
                held++;
                asked += item.Topics.Length > 0 ? 1 : 0;
                var candidates = threads.OrderByDescending(t => t.Value.Last).Take(ThreadMatch.Threads)
                    .Select((t, i) => new ThreadMatch.Candidate(i, t.Key,
                        [.. t.Value.Stories.Select(s => new ThreadMatch.Story(s.Text, s.On, s.Category == item.Category))]))
                    .ToList();
                if (ThreadMatch.Best(text, DateOnly.Parse(item.Date, CultureInfo.InvariantCulture), candidates) is { } suggestion)
                {
                    suggested++;
                    right += item.Topics.Contains(suggestion.Name) ? 1 : 0;
                }
            }

            if (item.Topics.Length > 0)
            {
                var (stories, _) = threads.TryGetValue(item.Topics[^1], out var known) ? known : ([], 0);
                stories.Add(new Stored(text, DateOnly.Parse(item.Date, CultureInfo.InvariantCulture), item.Category));
                if (stories.Count > ThreadMatch.StoriesPerThread)
                {
                    stories.RemoveAt(0);
                }

                threads[item.Topics[^1]] = (stories, ++order);
            }
        }

        var precision = (double)right / Math.Max(1, suggested);
        var recall = (double)right / Math.Max(1, asked);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"thread suggestions: {held} held-out stories, {asked} with a topic; {suggested} suggested, {right} right: precision {precision:0.00}, recall {recall:0.00}"));
        Assert.True(precision >= 0.75 && recall >= 0.15, $"precision {precision:0.00}, recall {recall:0.00}");
    }
}
