using System.ComponentModel.DataAnnotations;

namespace NewsPortal.Web.Caching;

/// <summary>The output cache, bound from the "Cache" section of configuration.</summary>
public sealed class CacheOptions
{
    public const string SectionName = "Cache";

    /// <summary>Keep rendered public pages, feeds and API reads in memory; off for debugging and the benchmark's uncached column.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long a cached response may be served. Every write evicts what it changes at once, so this only bounds what
    /// depends on the clock alone ("3 days ago", the news sitemap's two days).
    /// </summary>
    [Range(1, 86_400)]
    public int DurationSeconds { get; set; } = 300;

    /// <summary>Memory the cached responses may take; the least recently used go first.</summary>
    [Range(1, 16_384)]
    public int SizeLimitMegabytes { get; set; } = 64;

    /// <summary>How often each node reads the invalidation log that other processes (nodes, the command-line import) write.</summary>
    [Range(0.05, 60)]
    public double PollSeconds { get; set; } = 0.5;
}
