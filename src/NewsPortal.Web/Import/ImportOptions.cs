using System.ComponentModel.DataAnnotations;

namespace NewsPortal.Web.Import;

/// <summary>Limits and batching for imports, bound from the "Import" section of configuration.</summary>
public sealed class ImportOptions
{
    public const string SectionName = "Import";

    /// <summary>Largest file accepted, in bytes (50 MB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Longest title, in characters.</summary>
    [Range(1, 300)]
    public int MaxTitleLength { get; set; } = 300;

    /// <summary>Largest body, in UTF-8 bytes (256 KB: the longest full Wikinews article in the corpus is 143 KB).</summary>
    [Range(1, int.MaxValue)]
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// The most characters one story's text can take in an input (a JSON line escapes, a snippet file adds headers):
    /// a line or file longer than this is reported without being read.
    /// </summary>
    public int MaxStoryCharacters => (int)Math.Min(8L * MaxBodyBytes + 64 * 1024, 1 << 30);

    /// <summary>Articles written per database round trip (fewer when their text passes a fixed size); memory use follows this, not the size of the input.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Problems listed for one file before the rest are counted but not listed.</summary>
    [Range(1, 10_000)]
    public int MaxProblemsPerFile { get; set; } = 50;

    /// <summary>
    /// The managed heap of the <c>import</c> command, in megabytes (0 for the runtime's own choice). The import holds a
    /// few batches at a time, whatever the input, so a limit makes the garbage collector work to it instead of growing
    /// the heap with the machine's memory. The site's own imports share its heap and are not limited.
    /// </summary>
    [Range(0, 1 << 20)]
    [CustomValidation(typeof(ImportOptions), nameof(ValidateHeap))]
    public int CommandHeapMegabytes { get; set; } = 128;

    /// <summary>The least heap an import runs in: start-up alone (the model, the store's client) takes about 30 MB.</summary>
    public const int LeastCommandHeapMegabytes = 40;

    public static ValidationResult? ValidateHeap(int megabytes)
        => megabytes is 0 or >= LeastCommandHeapMegabytes ? ValidationResult.Success
            : new ValidationResult($"Import:CommandHeapMegabytes is {megabytes}; it must be 0 (no limit) or at least {LeastCommandHeapMegabytes}.", [nameof(CommandHeapMegabytes)]);

    /// <summary>
    /// Stories an import must write (imported or updated) before it merges SQLite's search index into one segment when
    /// it ends. FTS5 keeps its index as segments merged four at a time, and every search and every article's related
    /// stories read each one: a 1,000,000-story import left 13, and merged, the article page took 2.3 to 2.5 ms against
    /// 3.2 to 3.8. The merge rewrites the whole index (3.4 s at 1,000,000 stories, in steps), so a small import leaves
    /// it to the site (<see cref="Search.SearchIndexUpkeep"/>).
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MergeSearchIndexAfter { get; set; } = 10_000;

    /// <summary>Seconds between progress reports on long imports.</summary>
    [Range(0.1, 3600)]
    public double ProgressIntervalSeconds { get; set; } = 1;
}
