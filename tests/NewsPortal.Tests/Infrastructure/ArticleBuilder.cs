using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Infrastructure;

/// <summary>Makes real snippets for tests: <c>new ArticleBuilder().InCategory("Business").FromSource("Reuters")</c>.</summary>
public sealed class ArticleBuilder
{
    private static int _counter;

    private readonly List<string> _categories = [];
    private readonly List<string> _sources = [];
    private readonly List<string> _paragraphs = [];
    private string _title = $"Test story {Interlocked.Increment(ref _counter)}";
    private DateOnly _publishedOn = new(2025, 6, 2);
    private DateTime? _documentDate;
    private string? _language;
    private string? _url;
    private string? _site;
    private string? _dateline;
    private string? _thread;

    public ArticleBuilder Titled(string title)
    {
        _title = title;
        return this;
    }

    public ArticleBuilder PublishedOn(int year, int month, int day)
    {
        _publishedOn = new DateOnly(year, month, day);
        return this;
    }

    public ArticleBuilder WithDocumentDate(DateTime documentDate)
    {
        _documentDate = documentDate;
        return this;
    }

    public ArticleBuilder InCategory(string category)
    {
        _categories.Add(category);
        return this;
    }

    public ArticleBuilder FromSource(string source)
    {
        _sources.Add(source);
        return this;
    }

    public ArticleBuilder InLanguage(string tag)
    {
        _language = tag;
        return this;
    }

    public ArticleBuilder WithOriginalUrl(string url)
    {
        _url = url;
        return this;
    }

    public ArticleBuilder FromSite(string site)
    {
        _site = site;
        return this;
    }

    public ArticleBuilder WithDateline(string dateline)
    {
        _dateline = dateline;
        return this;
    }

    public ArticleBuilder InThread(string thread)
    {
        _thread = thread;
        return this;
    }

    public ArticleBuilder WithParagraph(string paragraph)
    {
        _paragraphs.Add(paragraph);
        return this;
    }

    public SnippetDocument Build() => new(
        _title, _publishedOn, _documentDate, _language, _categories, _url, _site, _sources, _dateline,
        string.Join("\n\n", _paragraphs.Count > 0 ? _paragraphs : [$"The first paragraph of {_title}."]))
    {
        Thread = _thread,
    };
}
