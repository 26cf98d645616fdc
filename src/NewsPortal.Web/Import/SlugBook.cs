using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Import;

/// <summary>
/// The addresses of one kind (stories, categories, sources or threads) as a writer hands them out: a base ("talks")
/// when it is free, else the first free numbered one ("talks-2"), never one the store holds or this book gave before.
/// </summary>
/// <remarks>
/// The store is asked for a base first, then for <see cref="Probe"/> numbered ones at a time, and numbering goes on
/// from the last one given: stories sharing a headline ("Morning briefing") probed 2, 3, 4… one query each, again for every story, and
/// 3,000 of them in one import took eleven minutes with every other save waiting.
/// </remarks>
public sealed class SlugBook(Func<List<string>, CancellationToken, Task<IReadOnlyCollection<string>>> heldOf)
{
    /// <summary>Numbered addresses asked of the store at once, for each base.</summary>
    public const int Probe = 64;

    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _askedTo = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _next = new(StringComparer.Ordinal);
    private bool _holdsAll;

    /// <summary>Starts again from the store's <paramref name="slugs"/>, every one it holds, so nothing more is asked of it.</summary>
    public void HoldAll(IEnumerable<string> slugs)
    {
        Clear();
        _held.UnionWith(slugs);
        _holdsAll = true;
    }

    /// <summary>Forgets everything, after a rollback: what it gave out is free again, and asked for again.</summary>
    public void Clear()
    {
        _held.Clear();
        _askedTo.Clear();
        _next.Clear();
        _holdsAll = false;
    }

    /// <summary>
    /// Forgets the addresses given, once the store holds them and answers for them, keeping only where each numbering
    /// goes on: an import of a million stories holds no list of their addresses.
    /// </summary>
    public void Settle()
    {
        _held.Clear();
        _askedTo.Clear();
        foreach (var baseSlug in _next.Where(e => e.Value <= 2).Select(e => e.Key).ToList())
        {
            _next.Remove(baseSlug);
        }
    }

    /// <summary>Asks the store, in as few queries as it can, for enough addresses to give each of <paramref name="bases"/> (one per time it is named).</summary>
    public async Task ReserveAsync(IEnumerable<string> bases, CancellationToken cancellationToken)
    {
        if (_holdsAll)
        {
            return;
        }

        var needed = bases.GroupBy(b => b, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        while (true)
        {
            foreach (var (baseSlug, count) in needed.ToList())
            {
                if (FreeAsked(baseSlug) >= count)
                {
                    needed.Remove(baseSlug);
                }
            }

            if (needed.Count == 0)
            {
                return;
            }

            await AskFurtherAsync([.. needed.Keys], cancellationToken);
        }
    }

    /// <summary>Gives the first free address from <paramref name="baseSlug"/>, asking the store for more when those asked are used up.</summary>
    public async Task<string> TakeAsync(string baseSlug, CancellationToken cancellationToken)
    {
        if (!_holdsAll && FreeAsked(baseSlug) == 0)
        {
            await ReserveAsync([baseSlug], cancellationToken);
        }

        return Take(baseSlug);
    }

    /// <summary>
    /// Gives one of the first <paramref name="spread"/> free addresses from <paramref name="baseSlug"/>, at random: for
    /// a save that lost the race for the first free one. Saves racing for one headline each took the same first free
    /// address again on every try, so each round had one winner, and the thirtieth of thirty at once ran out of tries.
    /// </summary>
    public async Task<string> TakeOneOfAsync(string baseSlug, int spread, CancellationToken cancellationToken)
    {
        if (!_holdsAll)
        {
            await ReserveAsync(Enumerable.Repeat(baseSlug, spread), cancellationToken);
        }

        var skip = Random.Shared.Next(spread);
        for (var n = _next.GetValueOrDefault(baseSlug, 1); ; n++)
        {
            var candidate = Numbered(baseSlug, n);
            if (!_held.Contains(candidate) && skip-- == 0)
            {
                _held.Add(candidate);
                return candidate;
            }
        }
    }

    /// <summary>Gives the first free address from <paramref name="baseSlug"/> of those reserved (see <see cref="ReserveAsync"/>).</summary>
    public string Take(string baseSlug)
    {
        for (var n = _next.GetValueOrDefault(baseSlug, 1); _holdsAll || n <= _askedTo.GetValueOrDefault(baseSlug); n++)
        {
            var candidate = Numbered(baseSlug, n);
            if (_held.Add(candidate))
            {
                _next[baseSlug] = n + 1;
                return candidate;
            }
        }

        throw new InvalidOperationException($"No address from \"{baseSlug}\" was reserved.");
    }

    private int FreeAsked(string baseSlug)
    {
        var free = 0;
        for (var n = _next.GetValueOrDefault(baseSlug, 1); n <= _askedTo.GetValueOrDefault(baseSlug); n++)
        {
            free += _held.Contains(Numbered(baseSlug, n)) ? 0 : 1;
        }

        return free;
    }

    /// <summary>Asks for each base itself first, and for its next <see cref="Probe"/> numbered addresses once it is held.</summary>
    private async Task AskFurtherAsync(List<string> bases, CancellationToken cancellationToken)
    {
        var candidates = new List<string>();
        foreach (var baseSlug in bases)
        {
            // Numbers below the next one to give were given, or held when asked.
            var askedTo = Math.Max(_askedTo.GetValueOrDefault(baseSlug), _next.GetValueOrDefault(baseSlug, 1) - 1);
            var upTo = askedTo == 0 ? 1 : askedTo + Probe;
            candidates.AddRange(Enumerable.Range(askedTo + 1, upTo - askedTo).Select(n => Numbered(baseSlug, n)).Where(c => !_held.Contains(c)));
            _askedTo[baseSlug] = upTo;
        }

        if (candidates.Count > 0)
        {
            _held.UnionWith(await heldOf([.. candidates.Distinct(StringComparer.Ordinal)], cancellationToken));
        }
    }

    private static string Numbered(string baseSlug, int n) => n == 1 ? baseSlug : Slug.WithNumber(baseSlug, n);
}
