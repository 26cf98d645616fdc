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
    public int Files { get; private set; }
    public int Imported { get; private set; }
    public int Updated { get; private set; }
    public int Unchanged { get; private set; }

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

    internal void Accept(IEnumerable<WriteResult> results)
    {
        foreach (var result in results)
        {
            switch (result.Outcome)
            {
                case ImportOutcome.Imported:
                    Imported++;
                    if (_newStories.Count < MaxListed)
                    {
                        _newStories.Add((result.Slug, result.Title));
                    }

                    break;
                case ImportOutcome.Updated:
                    Updated++;
                    break;
                default:
                    Unchanged++;
                    break;
            }

            NewCategoryCount += result.NewCategories.Count;
            NewSourceCount += result.NewSources.Count;
            _newCategories.AddRange(result.NewCategories.Take(MaxListed - _newCategories.Count));
            _newSources.AddRange(result.NewSources.Take(MaxListed - _newSources.Count));
        }
    }

    internal void CountFile() => Files++;

    /// <summary>The report as data, for another node to show it (kept in Redis with its import job).</summary>
    public ImportReportData ToData() => new(
        DryRun, Files, Imported, Updated, Unchanged, Rejected, UnlistedProblems, Elapsed, [.. _problems], [.. _rejectedFiles],
        [.. _newStories.Select(s => new ImportReportData.Story(s.Slug, s.Title))], [.. _newCategories], [.. _newSources], NewCategoryCount, NewSourceCount);

    public static ImportReport From(ImportReportData data)
    {
        var report = new ImportReport
        {
            DryRun = data.DryRun,
            Files = data.Files,
            Imported = data.Imported,
            Updated = data.Updated,
            Unchanged = data.Unchanged,
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
        foreach (var problem in _problems)
        {
            text.Append('\n').Append("rejected ").Append(problem);
        }

        if (UnlistedProblems > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n… and {UnlistedProblems} more problem(s) not listed");
        }

        return text.ToString();
    }
}

/// <summary>An <see cref="ImportReport"/> as plain data (JSON in Redis).</summary>
public sealed record ImportReportData(
    bool DryRun, int Files, int Imported, int Updated, int Unchanged, int Rejected, int UnlistedProblems, TimeSpan Elapsed,
    IReadOnlyList<ImportProblem> Problems, IReadOnlyList<string> RejectedFiles, IReadOnlyList<ImportReportData.Story> NewStories,
    IReadOnlyList<string> NewCategories, IReadOnlyList<string> NewSources, int NewCategoryCount, int NewSourceCount)
{
    public sealed record Story(string Slug, string Title);
}
