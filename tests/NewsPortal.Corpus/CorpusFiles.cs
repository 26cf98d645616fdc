using System.IO.Compression;

namespace NewsPortal.Corpus;

/// <summary>
/// The corpus of real news text: the copy in the repository (<c>tests/corpus</c>, gzip-compressed, unpacked once into
/// the temporary folder), or the folder <c>NEWSPORTAL_CORPUS</c> names.
/// </summary>
public static class CorpusFiles
{
    private static readonly string[] Names = ["current-events.jsonl", "wikinews-2019.csv", "wikinews-2020.csv"];

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
                var packed = Path.Combine(dir.FullName, "tests", "corpus");
                if (File.Exists(Path.Combine(packed, Names[0] + ".gz")))
                {
                    return Unpack(packed);
                }
            }
        }

        throw new DirectoryNotFoundException("The corpus (tests/corpus/current-events.jsonl.gz) was not found; set NEWSPORTAL_CORPUS to a folder of its files.");
    }

    /// <summary>Unpacks the files into a folder named after their sizes, once per machine; a half-written file is never used.</summary>
    private static string Unpack(string packed)
    {
        var sizes = string.Join("-", Names.Select(n => new FileInfo(Path.Combine(packed, n + ".gz")).Length));
        var target = Path.Combine(Path.GetTempPath(), $"newsportal-corpus-{sizes}");
        System.IO.Directory.CreateDirectory(target);
        foreach (var name in Names)
        {
            var path = Path.Combine(target, name);
            if (File.Exists(path))
            {
                continue;
            }

            var partial = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.part";
            using (var source = new GZipStream(File.OpenRead(Path.Combine(packed, name + ".gz")), CompressionMode.Decompress))
            using (var destination = File.Create(partial))
            {
                source.CopyTo(destination);
            }

            File.Move(partial, path, overwrite: true);
        }

        return target;
    }
}
