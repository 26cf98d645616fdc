namespace NewsPortal.Corpus;

/// <summary>Finds the shared corpus: <c>NEWSPORTAL_CORPUS</c>, else a <c>shared/corpus</c> folder beside the repository or above it.</summary>
public static class CorpusFiles
{
    public static string Directory { get; } = Locate();

    public static string CurrentEvents => Path.Combine(Directory, "current-events.jsonl");

    public static IEnumerable<string> Wikinews => System.IO.Directory.GetFiles(Directory, "wikinews-*.csv").Order(StringComparer.Ordinal);

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("NEWSPORTAL_CORPUS") is { Length: > 0 } configured)
        {
            return configured;
        }

        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "corpus");
                if (File.Exists(Path.Combine(candidate, "current-events.jsonl")))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("The shared corpus (shared/corpus/current-events.jsonl) was not found; set NEWSPORTAL_CORPUS to its folder.");
    }
}
