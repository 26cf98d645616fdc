using NewsPortal.Web.Articles;

namespace NewsPortal.Web.Threads;

/// <summary>
/// Which developing story an unthreaded story probably follows: the active thread whose recent stories (and name)
/// hold the largest share of the story's words, each word weighted by how rare it is among those stories, when that
/// share is high and clearly ahead of the next thread's. Measured on the corpus (README, "Developing stories"): it is
/// right about two times in three when it speaks, and speaks for about one threaded story in eight, so it is offered
/// to the editor as a suggestion, never applied.
/// </summary>
public static class ThreadMatch
{
    /// <summary>How many of the most recently active threads are considered.</summary>
    public const int Threads = 200;

    /// <summary>How many of each thread's newest stories describe it.</summary>
    public const int StoriesPerThread = 30;

    // Chosen on the corpus with every seventh day held out (see the README): lower thresholds suggest more often
    // and are wrong more often.
    private const double MinShare = 0.5;
    private const double MinLead = 0.1;

    /// <summary>A thread as the match sees it: its name and the text (headline and lede) of its newest stories.</summary>
    public sealed record Candidate(int Id, string Name, IReadOnlyList<string> Stories);

    public static Candidate? Best(string text, IReadOnlyList<Candidate> candidates)
    {
        var words = NearDuplicates.Words(text);
        if (words.Count == 0 || candidates.Count == 0)
        {
            return null;
        }

        var profiles = candidates.Select(c => c.Stories.Select(NearDuplicates.Words).ToList()).ToList();
        var documents = profiles.Sum(p => p.Count) + 1;
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var story in profiles.SelectMany(p => p))
        {
            foreach (var word in story.Where(words.Contains))
            {
                frequency[word] = frequency.GetValueOrDefault(word) + 1;
            }
        }

        double Weight(string word) => Math.Log(documents / (1.0 + frequency.GetValueOrDefault(word))) + 1;
        var total = words.Sum(Weight);
        var scored = candidates.Select((c, i) =>
        {
            var known = new HashSet<string>(profiles[i].SelectMany(s => s), StringComparer.Ordinal);
            known.UnionWith(NearDuplicates.Words(c.Name));
            return (Candidate: c, Share: words.Where(known.Contains).Sum(Weight) / total);
        }).OrderByDescending(s => s.Share).Take(2).ToList();
        var lead = scored[0].Share - (scored.Count > 1 ? scored[1].Share : 0);
        return scored[0].Share >= MinShare && lead >= MinLead ? scored[0].Candidate : null;
    }
}
