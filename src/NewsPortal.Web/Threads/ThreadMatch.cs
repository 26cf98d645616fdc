using NewsPortal.Web.Articles;

namespace NewsPortal.Web.Threads;

/// <summary>
/// Which developing story an unthreaded story probably follows. The active threads are ranked by the share of the
/// story's words their recent stories (and name) hold, each word weighted by how rare it is among those stories; the
/// ten best are then weighed by a small logistic model of what tells a right suggestion from a wrong one (how close
/// the nearest three stories are, the capitalised names in common, the thread's name, how recently it was active,
/// whether its stories share the story's categories) and the best is offered only when the model gives it at least
/// <see cref="MinProbability"/>. Measured on the corpus (README, "Developing stories"): right four times in five
/// when it speaks, for about one threaded story in five; so it is offered to the editor as a suggestion, never applied.
/// </summary>
public static class ThreadMatch
{
    /// <summary>How many of the most recently active threads are considered.</summary>
    public const int Threads = 200;

    /// <summary>How many of each thread's newest stories describe it.</summary>
    public const int StoriesPerThread = 30;

    /// <summary>
    /// How much of a story's text (the one asked about, and each thread story's headline and lede) is read: its start,
    /// as the model was fitted and measured on, and a bound on the work whatever length of body an editor sends.
    /// </summary>
    public const int TextLength = 400;

    /// <summary>How many threads, best by share of words, the model weighs.</summary>
    private const int Shortlist = 10;

    /// <summary>
    /// The model's probability a suggestion needs, chosen on the corpus's days that are not held out (see the
    /// README): precision about 0.8 there. Lower suggests more often and is wrong more often (0.31: 0.67 at recall 0.30).
    /// </summary>
    private const double MinProbability = 0.635;

    // The model's weights, fitted by logistic regression (a softmax over the shortlist and "no thread") on the corpus's
    // days that are not held out; the held-out days measure it.
    private const double Bias = -6.2692;
    private const double ShareWeight = 2.2021;
    private const double ShareLeadWeight = 0.4507;
    private const double NearestWeight = 7.3673;
    private const double NearestLeadWeight = -0.8957;
    private const double NamesWeight = 3.1628;
    private const double ThreadNameWeight = 2.148;
    private const double RecencyWeight = -0.4039;
    private const double DaysWeight = -0.0176;
    private const double CategoryWeight = 2.7884;
    private const double SizeWeight = 1.1476;

    /// <summary>One of a thread's stories: its headline and lede, when it was published, and whether it shares a category with the story asked about.</summary>
    public sealed record Story(string Text, DateOnly PublishedOn, bool SharesCategory);

    /// <summary>A thread as the match sees it: its name and its newest stories.</summary>
    public sealed record Candidate(int Id, string Name, IReadOnlyList<Story> Stories);

    /// <summary>
    /// The thread a story with <paramref name="text"/>, published on <paramref name="on"/>, probably follows; null when
    /// none stands out. <paramref name="candidates"/> are the most recently active first.
    /// </summary>
    public static Candidate? Best(string text, DateOnly on, IReadOnlyList<Candidate> candidates)
    {
        text = Shared.Text.Cut(text, TextLength);
        var words = NearDuplicates.Words(text);
        if (words.Count == 0)
        {
            return null;
        }

        var threads = candidates.Select((c, rank) => new Profile(c, rank)).Where(t => t.Stories.Count > 0).ToList();
        if (threads.Count == 0)
        {
            return null;
        }

        var documents = threads.Sum(t => t.Stories.Count) + 1;
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var story in threads.SelectMany(t => t.Stories))
        {
            foreach (var word in story.Where(words.Contains))
            {
                frequency[word] = frequency.GetValueOrDefault(word) + 1;
            }
        }

        double Weight(string word) => words.Contains(word) ? Math.Log(documents / (1.0 + frequency.GetValueOrDefault(word))) + 1 : 1;
        var total = words.Sum(Weight);
        var names = CapitalisedWords(text, words);
        var namesTotal = names.Sum(Weight);

        var shortlist = threads
            .Select(t => (Thread: t, Share: words.Where(t.Knows).Sum(Weight) / total))
            .OrderByDescending(s => s.Share)
            .Take(Shortlist)
            .Select(s => new Features(s.Thread, s.Share,
                Nearest: s.Thread.Stories.Select(story => words.Where(story.Contains).Sum(Weight) / (total + story.Count(w => !words.Contains(w))))
                    .OrderByDescending(j => j).Take(3).Sum() / 3,
                Names: namesTotal > 0 ? names.Where(s.Thread.Knows).Sum(Weight) / namesTotal : 0,
                ThreadName: s.Thread.NameWords.Count > 0 ? s.Thread.NameWords.Where(words.Contains).Sum(Weight) / s.Thread.NameWords.Sum(Weight) : 0))
            .ToList();

        var scores = shortlist.Select(f =>
        {
            var others = shortlist.Where(o => !ReferenceEquals(o, f)).ToList();
            var stories = f.Thread.Candidate.Stories;
            var days = Math.Max(0, on.DayNumber - stories.Max(s => s.PublishedOn).DayNumber);
            return Bias
                + ShareWeight * f.Share
                + ShareLeadWeight * (f.Share - (others.Count > 0 ? others.Max(o => o.Share) : 0))
                + NearestWeight * f.Nearest
                + NearestLeadWeight * (f.Nearest - (others.Count > 0 ? others.Max(o => o.Nearest) : 0))
                + NamesWeight * f.Names
                + ThreadNameWeight * f.ThreadName
                + RecencyWeight * Math.Log(1 + f.Thread.Rank)
                + DaysWeight * Math.Log(1 + days)
                + CategoryWeight * stories.Count(s => s.SharesCategory) / stories.Count
                + SizeWeight * stories.Count / StoriesPerThread;
        }).ToList();

        // The probability of the best thread against the others and against "no thread" (a score of 0).
        var best = scores.IndexOf(scores.Max());
        var top = scores[best];
        var probability = 1 / (Math.Exp(-top) + scores.Sum(s => Math.Exp(s - top)));
        return probability >= MinProbability ? shortlist[best].Thread.Candidate : null;
    }

    /// <summary>
    /// The words of names in the text: those of a token starting with a capital that does not begin a sentence (the
    /// text's first token, or one after a full stop, question or exclamation mark or colon).
    /// </summary>
    private static HashSet<string> CapitalisedWords(string text, HashSet<string> words)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var sentenceStart = true;
        foreach (var token in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (char.IsUpper(token[0]) && !sentenceStart)
            {
                found.UnionWith(NearDuplicates.Words(token).Where(words.Contains));
            }

            sentenceStart = token[^1] is '.' or '!' or '?' or ':';
        }

        return found;
    }

    /// <summary>A candidate's words, worked out once: each story's, and all of them with the name's.</summary>
    private sealed class Profile
    {
        public Profile(Candidate candidate, int rank)
        {
            Candidate = candidate;
            Rank = rank;
            Stories = [.. candidate.Stories.Select(s => NearDuplicates.Words(Shared.Text.Cut(s.Text, TextLength)))];
            NameWords = NearDuplicates.Words(candidate.Name);
            _known = new HashSet<string>(Stories.SelectMany(s => s), StringComparer.Ordinal);
            _known.UnionWith(NameWords);
        }

        private readonly HashSet<string> _known;

        public Candidate Candidate { get; }

        /// <summary>Its place among the candidates, the most recently active first.</summary>
        public int Rank { get; }

        public List<HashSet<string>> Stories { get; }

        public HashSet<string> NameWords { get; }

        public bool Knows(string word) => _known.Contains(word);
    }

    private sealed record Features(Profile Thread, double Share, double Nearest, double Names, double ThreadName);
}
