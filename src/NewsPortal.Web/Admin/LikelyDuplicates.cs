using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NewsPortal.Web.Admin;

/// <summary>Two names that are probably one: merging <see cref="From"/> into <see cref="Into"/> moves the fewer stories.</summary>
public sealed record DuplicatePair(LikelyDuplicates.Name From, LikelyDuplicates.Name Into, string Reason);

/// <summary>
/// Finds names an import spelt two ways ("RBC Ukraine" and "RBC-Ukraine", "Business and econony", "AFP via RFI"):
/// the same letters once case, accents, punctuation and spaces are set aside; one name credited "via" another
/// outlet; or a spelling one or two letters apart. Work grows with the number of names (sorted twice, each compared
/// with its neighbours), never with the stories.
/// </summary>
public static partial class LikelyDuplicates
{
    public sealed record Name(int Id, string Text, int ArticleCount);

    /// <summary>How many of the names sorted after a name its spelling is compared with, in each order.</summary>
    public const int SpellingNeighbours = 24;

    private static string Backwards(string key) => string.Create(key.Length, key, (span, k) =>
    {
        k.AsSpan().CopyTo(span);
        span.Reverse();
    });

    public static IReadOnlyList<DuplicatePair> Find(IReadOnlyList<Name> names, int take)
    {
        var pairs = new List<(DuplicatePair Pair, int Rank)>();
        var seen = new HashSet<(int, int)>();
        void Add(Name a, Name b, string reason, int rank)
        {
            if (a.Id != b.Id && seen.Add((Math.Min(a.Id, b.Id), Math.Max(a.Id, b.Id))))
            {
                pairs.Add((Pair(a, b, reason), rank));
            }
        }

        var byLoose = names.GroupBy(n => Loose(n.Text)).Where(g => g.Key.Length > 0).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var group in byLoose.Values.Where(g => g.Count > 1))
        {
            for (var i = 1; i < group.Count; i++)
            {
                Add(group[i], group[0], "the same but for spaces, punctuation or accents", 0);
            }
        }

        foreach (var name in names)
        {
            if (Via().Match(name.Text) is { Success: true } via && byLoose.TryGetValue(Loose(via.Groups["name"].Value), out var credited))
            {
                Add(name, credited[0], $"credited via {via.Groups["via"].Value.Trim()}", 1);
            }
        }

        // Spellings a letter or two apart sort near each other: by their letters when they differ late, by their
        // letters read backwards when they differ early. Each key is compared with its next few in both orders, so the
        // work stays a multiple of the names even when thousands share a start ("2025 …" threads, "Radio …" sources).
        var keys = byLoose.Keys.Where(k => k.Length >= 6).ToList();
        foreach (var sorted in (List<string>[])[[.. keys.Order(StringComparer.Ordinal)], [.. keys.OrderBy(Backwards, StringComparer.Ordinal)]])
        {
            for (var i = 0; i < sorted.Count; i++)
            {
                for (var j = i + 1; j < Math.Min(sorted.Count, i + 1 + SpellingNeighbours); j++)
                {
                    if (CloseSpelling(sorted[i], sorted[j]))
                    {
                        Add(byLoose[sorted[i]][0], byLoose[sorted[j]][0], "spelt a letter or two differently", 2);
                    }
                }
            }
        }

        return [.. pairs.OrderBy(p => p.Rank).ThenByDescending(p => p.Pair.Into.ArticleCount).ThenBy(p => p.Pair.From.Text, StringComparer.Ordinal)
            .Take(take).Select(p => p.Pair)];
    }

    /// <summary>Two names as a pair to merge: the one with fewer stories (or, as many, the newer) into the other.</summary>
    public static DuplicatePair Pair(Name a, Name b, string reason)
        => a.ArticleCount < b.ArticleCount || (a.ArticleCount == b.ArticleCount && a.Id > b.Id) ? new(a, b, reason) : new(b, a, reason);

    /// <summary>The outlet a name credits through another ("AFP via RFI" credits AFP); null when it credits none so.</summary>
    public static string? CreditedVia(string name) => Via().Match(name) is { Success: true } via ? via.Groups["name"].Value.Trim() : null;

    /// <summary>Whether two names are one written differently: the same loose letters, or a letter or two apart.</summary>
    public static bool SameOrClose(string a, string b)
    {
        var (x, y) = (Loose(a), Loose(b));
        return x.Length > 0 && (x == y || CloseSpelling(x, y));
    }

    /// <summary>
    /// Stored names by their loose letters, and those by their first three (which a close spelling shares), so a
    /// typed name is compared with the few stored names it could be rather than with every one: 50 new names
    /// against 25,000 stored, each made loose again for every comparison, took seconds a save.
    /// </summary>
    public sealed class Lookup
    {
        private readonly Dictionary<string, string> _byLoose = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _byStart = new(StringComparer.Ordinal);

        public Lookup(IEnumerable<string> names)
        {
            foreach (var name in names)
            {
                var loose = Loose(name);
                if (loose.Length > 0 && _byLoose.TryAdd(loose, name) && loose.Length >= 6)
                {
                    (_byStart.TryGetValue(loose[..3], out var same) ? same : _byStart[loose[..3]] = []).Add(loose);
                }
            }
        }

        /// <summary>The stored name <paramref name="name"/> is the same as or close to (see <see cref="SameOrClose"/>), or null.</summary>
        public string? Find(string name)
        {
            var loose = Loose(name);
            if (loose.Length == 0)
            {
                return null;
            }

            if (_byLoose.TryGetValue(loose, out var same))
            {
                return same;
            }

            return loose.Length >= 6 && _byStart.TryGetValue(loose[..3], out var candidates)
                && candidates.FirstOrDefault(c => CloseSpelling(loose, c)) is { } close ? _byLoose[close] : null;
        }
    }

    /// <summary>Two loose keys of the same start and about the same length, a letter or two apart (two from ten letters on), numbers alike.</summary>
    private static bool CloseSpelling(string x, string y)
        => x.Length >= 6 && y.Length >= 6 && x.AsSpan(0, 3).SequenceEqual(y.AsSpan(0, 3)) && Math.Abs(x.Length - y.Length) <= 2
            && Distance(x, y, 2) <= (x.Length >= 10 ? 2 : 1) && !Numbered(x, y);

    /// <summary>The name's letters and digits only, lower case, accents removed, without a leading "the".</summary>
    public static string Loose(string name)
    {
        var text = new StringBuilder();
        foreach (var c in Shared.Text.Normalize(name, NormalizationForm.FormKD))
        {
            if (char.IsLetterOrDigit(c))
            {
                text.Append(char.ToLowerInvariant(c));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && text.Length > 0 && text[^1] != ' ')
            {
                text.Append(' ');
            }
        }

        var words = text.ToString().Trim();
        words = words.StartsWith("the ", StringComparison.Ordinal) ? words[4..] : words;
        return words.Replace(" ", "", StringComparison.Ordinal);
    }

    /// <summary>"Channel 12" and "Channel 13" differ in a digit and are two outlets, not a typo.</summary>
    private static bool Numbered(string a, string b) => a.Where(char.IsDigit).Any() && !a.Where(char.IsDigit).SequenceEqual(b.Where(char.IsDigit));

    /// <summary>
    /// Edits between two spellings (a letter added, dropped or changed, or two neighbours swapped, each counting one),
    /// exact up to <paramref name="limit"/>; more than that is any number above it. Only the cells within
    /// <paramref name="limit"/> of the diagonal are worked out (the others are more than that apart), and it gives up
    /// once a row is past the limit: the names admin compares each name with dozens of its neighbours, and the whole
    /// table of two names cost most of its time.
    /// </summary>
    public static int Distance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return limit + 1;
        }

        var over = limit + 1;
        var width = b.Length + 1;
        Span<int> rows = width * 3 <= 768 ? stackalloc int[width * 3] : new int[width * 3];
        var beforePrevious = rows[..width];
        var previous = rows.Slice(width, width);
        var current = rows.Slice(width * 2, width);
        beforePrevious.Fill(over);
        current.Fill(over);
        for (var j = 0; j < width; j++)
        {
            previous[j] = j <= limit ? j : over;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            var (from, to) = (Math.Max(1, i - limit), Math.Min(b.Length, i + limit));
            current[from - 1] = from == 1 ? Math.Min(i, over) : over;
            var best = current[from - 1];
            for (var j = from; j <= to; j++)
            {
                var cell = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    cell = Math.Min(cell, beforePrevious[j - 2] + 1);
                }

                current[j] = Math.Min(cell, over);
                best = Math.Min(best, current[j]);
            }

            // The next row reads one cell past this row's band.
            if (to + 1 < width)
            {
                current[to + 1] = over;
            }

            if (best > limit)
            {
                return over;
            }

            var oldest = beforePrevious;
            beforePrevious = previous;
            previous = current;
            current = oldest;
        }

        return previous[b.Length];
    }

    [GeneratedRegex(@"^(?<name>.+?)\s+via\s+(?<via>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Via();
}
