using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NewsPortal.Web.Articles;

/// <summary>Every editorial field of an article at one moment: what a revision keeps, compares and restores.</summary>
public sealed record ArticleSnapshot(
    string Title,
    string? Dateline,
    string Body,
    DateOnly PublishedOn,
    DateTime? DocumentDate,
    string Language,
    string? Site,
    string? OriginalUrl,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Sources,
    ArticleStatus Status,
    DateTime? PublishAtUtc,
    string? CorrectionNote,
    string? License = null,
    string? Thread = null,
    string? ImageUrl = null,
    string? ImageAlt = null,
    string? Summary = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ArticleSnapshot Of(Article article) => new(
        article.Title, article.Dateline, article.Body, article.PublishedOn, article.DocumentDate, article.Language, article.Site,
        article.OriginalUrl, [.. article.Categories.Select(c => c.Name).Order(StringComparer.Ordinal)],
        [.. article.Sources.Select(s => s.Name).Order(StringComparer.Ordinal)], article.Status, article.PublishAtUtc, article.CorrectionNote,
        article.License, article.Thread?.Name, article.ImageUrl, article.ImageAlt, article.Summary);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ArticleSnapshot FromJson(string json) => JsonSerializer.Deserialize<ArticleSnapshot>(json, Json)!;

    /// <summary>The snapshot as lines of text, one field a line and the body a line per paragraph, for a readable diff.</summary>
    public string ToDiffText()
    {
        var text = new StringBuilder();
        text.Append("Title: ").AppendLine(Title)
            .Append("Status: ").Append(Status).AppendLine(PublishAtUtc is { } at ? $" (publish at {at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)" : "")
            .Append("Published on: ").AppendLine(PublishedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .Append("Document date: ").AppendLine(DocumentDate?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "")
            .Append("Dateline: ").AppendLine(Dateline ?? "")
            .Append("Language: ").AppendLine(Language)
            .Append("Site: ").AppendLine(Site ?? "")
            .Append("Original URL: ").AppendLine(OriginalUrl ?? "")
            .Append("Categories: ").AppendLine(string.Join(", ", Categories))
            .Append("Sources: ").AppendLine(string.Join(", ", Sources))
            .Append("Licence: ").AppendLine(License ?? "")
            .Append("Thread: ").AppendLine(Thread ?? "")
            .Append("Summary: ").AppendLine(Summary ?? "")
            .Append("Image: ").AppendLine(ImageUrl is null ? "" : $"{ImageUrl} ({ImageAlt})")
            .Append("Correction: ").AppendLine(CorrectionNote ?? "")
            .AppendLine();
        foreach (var paragraph in Body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            text.AppendLine(paragraph);
        }

        return text.ToString();
    }
}
