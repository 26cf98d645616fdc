using System.Globalization;

namespace NewsPortal.Corpus;

public static class CorpusTool
{
    /// <summary>
    /// <c>dotnet run --project tests/NewsPortal.Corpus -- OUT_DIR [COPIES]</c>, or <c>-- store OUT_DIR COUNT</c> for a
    /// benchmark store of COUNT stories spread over the ten years up to now, or <c>-- snippets OUT_DIR</c> for the current-events items
    /// as one snippet file each.
    /// </summary>
    public static int Main(string[] args)
    {
        if (args is ["snippets", var folder])
        {
            var written = CorpusConverter.WriteSnippets(folder);
            Console.WriteLine($"Wrote {written} current-events items as snippet files to {Path.GetFullPath(folder)}");
            return 0;
        }

        if (args is ["store", var directory, var count])
        {
            var files = CorpusConverter.WriteStore(directory, int.Parse(count, CultureInfo.InvariantCulture));
            Console.WriteLine($"Wrote {count} stories in {files.Count} files to {Path.GetFullPath(directory)}");
            return 0;
        }

        if (args.Length is < 1 or > 2)
        {
            Console.Error.WriteLine("Usage: NewsPortal.Corpus OUT_DIR [COPIES]   (COPIES repeats the current-events items with varied titles, for scale)");
            return 2;
        }

        var copies = args.Length == 2 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        CorpusConverter.Write(args[0], copies);
        Console.WriteLine($"Wrote {CorpusConverter.CurrentEventsCount * copies} current-events items and {CorpusConverter.WikinewsCount} Wikinews articles to {Path.GetFullPath(args[0])}");
        return 0;
    }
}
