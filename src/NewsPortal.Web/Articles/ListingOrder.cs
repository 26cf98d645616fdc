namespace NewsPortal.Web.Articles;

/// <summary>
/// The order of every listing, newest first: by "Published on" date, then document date (stories without one last
/// within their day), then id. The first two are folded into one number, the sort key, so that each listing is one
/// index walked from a (sort key, id) position: a page costs the same at a thousand stories and at a million.
/// </summary>
public static class ListingOrder
{
    // Day numbers up to 9999-12-31 fit in 22 bits and seconds since 0001-01-01 in 39, so the key stays under 2^61.
    private const int SecondsBits = 39;

    public static long KeyOf(DateOnly publishedOn, DateTime? documentDate)
        => ((long)publishedOn.DayNumber << SecondsBits) + (documentDate is { } date ? (date.Ticks / TimeSpan.TicksPerSecond) + 1 : 0);

    /// <summary>The smallest key of a day: stories published on or after <paramref name="day"/> have keys at least this.</summary>
    public static long StartOf(DateOnly day) => (long)day.DayNumber << SecondsBits;

    /// <summary>
    /// The smallest key of the day after <paramref name="day"/>: stories published on or before it have smaller keys.
    /// The calendar's last day has no day after it, so every key is smaller.
    /// </summary>
    public static long StartOfDayAfter(DateOnly day) => day == DateOnly.MaxValue ? long.MaxValue : StartOf(day.AddDays(1));

    /// <summary>The keys of the stories published from <paramref name="from"/> to <paramref name="to"/> (either open); null when both are.</summary>
    public static (long Min, long Max)? Between(DateOnly? from, DateOnly? to) => from is null && to is null ? null
        : (from is { } first ? StartOf(first) : 0, to is { } last ? StartOfDayAfter(last) : long.MaxValue);

    /// <summary>The "Published on" date a key was made from.</summary>
    public static DateOnly DayOf(long key) => DateOnly.FromDayNumber((int)(key >> SecondsBits));

    /// <summary>
    /// The time of day of the document date a key was made from, when that date is the story's "Published on" day;
    /// null when the story has none, or when it is another day's (a snippet captured later than it was published: its
    /// time says nothing of when on the day the story came out).
    /// </summary>
    public static TimeOnly? TimeOf(long key)
    {
        var seconds = key & ((1L << SecondsBits) - 1);
        if (seconds == 0)
        {
            return null;
        }

        var documentDate = new DateTime((seconds - 1) * TimeSpan.TicksPerSecond);
        return DateOnly.FromDateTime(documentDate) == DayOf(key) ? TimeOnly.FromDateTime(documentDate) : null;
    }

    /// <summary>
    /// When a story was published, as told outside the site (feeds, the news sitemap, search engines): when it went out
    /// (<paramref name="publishAtUtc"/>, else <paramref name="createdAtUtc"/>), unless its "Published on" day is
    /// earlier (an archive imported today, a story entered after the fact), then that day at the time of day the
    /// listings show. Null when that day has no time (only the day is known), so that no one is told of a midnight
    /// that never happened. Otherwise an archive imported today reads as today's news.
    /// </summary>
    public static DateTime? PublishedInstant(long key, DateTime? publishAtUtc, DateTime createdAtUtc)
    {
        var wentOut = publishAtUtc ?? createdAtUtc;
        var day = DayOf(key);
        return day >= DateOnly.FromDateTime(wentOut) ? DateTime.SpecifyKind(wentOut, DateTimeKind.Utc)
            : TimeOf(key) is { } time ? day.ToDateTime(time, DateTimeKind.Utc)
            : null;
    }

    /// <summary>
    /// <see cref="PublishedInstant"/>, at noon UTC of the day when only the day is known: for feeds, which need a time.
    /// Feed readers show it in the reader's zone, and noon is the same day from UTC-12 to UTC+11, where midnight UTC
    /// was the evening before across the Americas.
    /// </summary>
    public static DateTime PublishedAt(long key, DateTime? publishAtUtc, DateTime createdAtUtc)
        => PublishedInstant(key, publishAtUtc, createdAtUtc) ?? DayOf(key).ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc);
}
