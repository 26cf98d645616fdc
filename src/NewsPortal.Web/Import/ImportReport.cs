using System.Globalization;
using System.Text;

namespace NewsPortal.Web.Import;

/// <summary>What an import did: counts of articles, and every problem that made a file be rejected.</summary>
public sealed class ImportReport
{
    private readonly List<ImportProblem> _problems = [];
    private readonly List<string> _rejectedFiles = [];
    private readonly List<(string Slug, string Title)> _newStories = [];
    private readonly List<string> _newCategories = [];
    private readonly List<string> _newSources = [];

    /// <summary>How many new stories, categories and sources the report names; an import of a million lists the first ones.</summary>
    public const int MaxListed = 100;

    public bool DryRun { get; init; }

    /// <summary>What the audit log says of an import, rejected files included (an import of only those reads "0 imported").</summary>
    public string AuditSummary => $"{Imported} imported, {Updated} updated, {Unchanged} unchanged, {RejectedFiles.Count} file(s) rejected{(Withheld > 0 ? $", {Withheld} withheld (deleted for good)" : "")}";
    public int Files { get; private set; }
    public int Imported { get; private set; }
    public int Updated { get; private set; }
    public int Unchanged { get; private set; }

    /// <summary>Stories not imported again because an admin deleted them for good.</summary>
    public int Withheld { get; private set; }

    /// <summary>Stories not imported because their file was rejected.</summary>
    public int Rejected { get; private set; }

    /// <summary>Problems found beyond those listed (see <see cref="ImportOptions.MaxProblemsPerFile"/>).</summary>
    public int UnlistedProblems { get; private set; }

    public TimeSpan Elapsed { get; set; }
    public IReadOnlyList<ImportProblem> Problems => _problems;
    public IReadOnlyList<string> RejectedFiles => _rejectedFiles;

    /// <summary>The first stories imported (a dry run names those it would import), to link from the report.</summary>
    public IReadOnlyList<(string Slug, string Title)> NewStories => _newStories;

    /// <summary>Categories and sources the import created (or would create), first <see cref="MaxListed"/> of each.</summary>
    public IReadOnlyList<string> NewCategories => _newCategories;

    public IReadOnlyList<string> NewSources => _newSources;

    public int NewCategoryCount { get; private set; }
    public int NewSourceCount { get; private set; }

    /// <summary>The slugs written, in input order, when the caller asked to keep them (single documents, tests).</summary>
    public List<string> Slugs { get; } = [];

    public bool HasRejections => _rejectedFiles.Count > 0;

    /// <summary>Whether the import was stopped before the end (Ctrl-C or SIGTERM on the command line).</summary>
    public bool Interrupted { get; set; }

    public const string InterruptedNote = "Stopped before the end: the stories counted here were imported, each file whole; the file being imported and those after it were not. Import the same files again to finish: stories already in are found unchanged.";

    /// <summary>Adds what a committed file wrote.</summary>
    internal void Accept(WrittenTally written)
    {
        Imported += written.Imported;
        Updated += written.Updated;
        Unchanged += written.Unchanged;
        Withheld += written.Withheld;
        NewCategoryCount += written.NewCategoryCount;
        NewSourceCount += written.NewSourceCount;
        _newStories.AddRange(written.NewStories.Take(MaxListed - _newStories.Count));
        _newCategories.AddRange(written.NewCategories.Take(MaxListed - _newCategories.Count));
        _newSources.AddRange(written.NewSources.Take(MaxListed - _newSources.Count));
        Slugs.AddRange(written.Slugs);
    }

    internal void CountFile() => Files++;

    /// <summary>The report as data, for another node to show it (kept in Redis with its import job).</summary>
    public ImportReportData ToData() => new(
        DryRun, Files, Imported, Updated, Unchanged, Rejected, UnlistedProblems, Elapsed, [.. _problems], [.. _rejectedFiles],
        [.. _newStories.Select(s => new ImportReportData.Story(s.Slug, s.Title))], [.. _newCategories], [.. _newSources], NewCategoryCount, NewSourceCount, Withheld);

    public static ImportReport From(ImportReportData data)
    {
        var report = new ImportReport
        {
            DryRun = data.DryRun,
            Files = data.Files,
            Imported = data.Imported,
            Updated = data.Updated,
            Unchanged = data.Unchanged,
            Withheld = data.Withheld,
            Rejected = data.Rejected,
            UnlistedProblems = data.UnlistedProblems,
            Elapsed = data.Elapsed,
            NewCategoryCount = data.NewCategoryCount,
            NewSourceCount = data.NewSourceCount,
        };
        report._problems.AddRange(data.Problems);
        report._rejectedFiles.AddRange(data.RejectedFiles);
        report._newStories.AddRange(data.NewStories.Select(s => (s.Slug, s.Title)));
        report._newCategories.AddRange(data.NewCategories);
        report._newSources.AddRange(data.NewSources);
        return report;
    }

    private readonly List<(string What, int Count)> _kept = [];

    /// <summary>What the files beside a folder's stories held and this import kept (see <see cref="StoreMove"/>), by kind: "former names", "accounts"…</summary>
    public IReadOnlyList<(string What, int Count)> Kept => _kept;

    /// <summary>Other names of categories, sources and threads an export carried and this import kept.</summary>
    public int AliasesKept => KeptOf("former names");

    public int KeptOf(string what) => _kept.Where(k => k.What == what).Sum(k => k.Count);

    internal void Keep(string what, int kept) => _kept.Add((what, kept));

    /// <summary>A problem that costs no story (an alias that could not be kept).</summary>
    internal void Note(ImportProblem problem) => _problems.Add(problem);

    internal void Reject(string file, int stories, IReadOnlyList<ImportProblem> problems, int unlisted)
    {
        _rejectedFiles.Add(file);
        Rejected += stories;
        _problems.AddRange(problems);
        UnlistedProblems += unlisted;
    }

    /// <summary>The closing summary the CLI prints and the admin import page shows.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{(DryRun ? "Dry run (nothing written): " : "")}")
            .Append(CultureInfo.InvariantCulture, $"{Files} file(s) in {Elapsed.TotalSeconds:0.0} s: ");
        if (DryRun)
        {
            text.Append(CultureInfo.InvariantCulture, $"would import {Imported}, would update {Updated}, {Unchanged} unchanged duplicates, ");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"{Imported} imported, {Updated} updated, {Unchanged} unchanged duplicates, ");
        }

        text.Append(CultureInfo.InvariantCulture, $"{NewCategoryCount} new categories, {NewSourceCount} new sources, ")
            .Append(CultureInfo.InvariantCulture, $"{_rejectedFiles.Count} file(s) rejected ({Rejected} stories not imported)");
        if (Withheld > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {Withheld} not imported again (deleted for good by an admin)");
        }

        foreach (var (what, count) in _kept.Where(k => k.Count > 0))
        {
            text.Append(CultureInfo.InvariantCulture, $", {count} {what} kept");
        }

        foreach (var problem in _problems)
        {
            text.Append('\n').Append("rejected ").Append(problem);
        }

        if (UnlistedProblems > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n… and {UnlistedProblems} more problem(s) not listed");
        }

        if (Interrupted)
        {
            text.Append('\n').Append(InterruptedNote);
        }

        return text.ToString();
    }
}

/// <summary>An <see cref="ImportReport"/> as plain data (JSON in Redis).</summary>
public sealed record ImportReportData(
    bool DryRun, int Files, int Imported, int Updated, int Unchanged, int Rejected, int UnlistedProblems, TimeSpan Elapsed,
    IReadOnlyList<ImportProblem> Problems, IReadOnlyList<string> RejectedFiles, IReadOnlyList<ImportReportData.Story> NewStories,
    IReadOnlyList<string> NewCategories, IReadOnlyList<string> NewSources, int NewCategoryCount, int NewSourceCount, int Withheld = 0)
{
    public sealed record Story(string Slug, string Title);
}

/// <summary>
/// What a file's written stories will add to the report once the file is committed: counts, the first of each kind
/// of name to list, and the slugs only when asked for. Its size does not follow the file's: a file of a million
/// stories is still all or nothing, and its tally waits for its commit.
/// </summary>
internal sealed class WrittenTally(bool keepSlugs)
{
    public int Count { get; private set; }
    public int Imported { get; private set; }
    public int Updated { get; private set; }
    public int Unchanged { get; private set; }
    public int Withheld { get; private set; }
    public int NewCategoryCount { get; private set; }
    public int NewSourceCount { get; private set; }
    public List<(string Slug, string Title)> NewStories { get; } = [];
    public List<string> NewCategories { get; } = [];
    public List<string> NewSources { get; } = [];
    public List<string> Slugs { get; } = [];

    public void Add(IEnumerable<WriteResult> results)
    {
        foreach (var result in results)
        {
            Count++;
            switch (result.Outcome)
            {
                case ImportOutcome.Imported:
                    Imported++;
                    if (NewStories.Count < ImportReport.MaxListed)
                    {
                        NewStories.Add((result.Slug, result.Title));
                    }

                    break;
                case ImportOutcome.Updated:
                    Updated++;
                    break;
                case ImportOutcome.Withheld:
                    Withheld++;
                    break;
                default:
                    Unchanged++;
                    break;
            }

            NewCategoryCount += result.NewCategories.Count;
            NewSourceCount += result.NewSources.Count;
            NewCategories.AddRange(result.NewCategories.Take(ImportReport.MaxListed - NewCategories.Count));
            NewSources.AddRange(result.NewSources.Take(ImportReport.MaxListed - NewSources.Count));
            if (keepSlugs)
            {
                Slugs.Add(result.Slug);
            }
        }
    }
}
