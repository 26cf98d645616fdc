using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Import;

/// <summary>
/// The portal's own JSON Lines schema: one article a line, every field of the store. <c>export --format jsonl</c>
/// writes it and <c>import</c> reads it. Required: <c>title</c>, <c>publishedOn</c> (yyyy-MM-dd) and <c>body</c>
/// (Markdown). Optional: <c>slug</c>, <c>formerSlugs</c> (earlier slugs, which redirect to the story), <c>dateline</c>, <c>documentDate</c> (local time as written, yyyy-MM-ddTHH:mm:ss),
/// <c>language</c> (BCP 47), <c>site</c>, <c>originalUrl</c>, <c>categories</c>, <c>sources</c>, <c>status</c>
/// (Draft, Scheduled, Published or Unpublished; Published when left out), <c>publishAt</c>, <c>deletedAt</c>,
/// <c>correctionNote</c>, <c>license</c>, <c>summary</c>, <c>image</c> and <c>imageAlt</c>, <c>topics</c> (story headings, outermost first; the last is the story's thread),
/// <c>createdAt</c> and <c>updatedAt</c> (UTC). Unknown fields are refused, so a misspelt one is not silently lost.
/// </summary>
public static class JsonLines
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        AllowTrailingCommas = false,
        // A null title or body is refused as the field's error, not met later as a null the importer cannot handle.
        RespectNullableAnnotations = true,
        Converters = { new CleanTextJsonConverter() },
    };

    public static string Write(SnippetDocument document)
        => JsonSerializer.Serialize(
            new ArticleRecord
            {
                Title = document.Title,
                Slug = document.Slug,
                FormerSlugs = document.FormerSlugs.Count > 0 ? document.FormerSlugs : null,
                Dateline = document.Dateline,
                Body = document.Body,
                PublishedOn = document.PublishedOn,
                DocumentDate = document.DocumentDate,
                Language = document.Language,
                Site = document.Site,
                OriginalUrl = document.OriginalUrl,
                Categories = document.Categories,
                Sources = document.Sources,
                CreatedAt = document.CreatedAtUtc,
                UpdatedAt = document.UpdatedAtUtc,
                Status = document.Status?.ToString(),
                PublishAt = document.PublishAtUtc,
                DeletedAt = document.DeletedAtUtc,
                CorrectionNote = document.CorrectionNote,
                License = document.License,
                Topics = document.Thread is { } thread ? [thread] : null,
                Image = document.ImageUrl,
                ImageAlt = document.ImageAlt,
                Summary = document.Summary,
            },
            Options);

    /// <summary>Reads one line; on failure, <paramref name="error"/> says what is wrong in words an editor can act on.</summary>
    public static SnippetDocument? Read(string line, out string? error)
    {
        ArticleRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<ArticleRecord>(line, Options);
        }
        catch (JsonException ex)
        {
            error = Describe(ex);
            return null;
        }

        if (record is null)
        {
            error = "the line is 'null', not an article object";
            return null;
        }

        // Nullable annotations are not checked on a list's items.
        foreach (var (field, items) in (ReadOnlySpan<(string, IReadOnlyList<string>?)>)[
            ("categories", record.Categories), ("sources", record.Sources), ("topics", record.Topics), ("formerSlugs", record.FormerSlugs)])
        {
            if (items is not null && items.Contains(null!))
            {
                error = $"field '{field}' must be {Expected[field]}, without nulls";
                return null;
            }
        }

        Articles.ArticleStatus? status = null;
        if (record.Status is { } named)
        {
            if (!EnumName.TryParse<Articles.ArticleStatus>(named, out var parsed))
            {
                error = $"field 'status': '{named}' is not Draft, Scheduled, Published or Unpublished";
                return null;
            }

            status = parsed;
        }

        if (status == Articles.ArticleStatus.Scheduled && record.PublishAt is null)
        {
            error = "field 'publishAt': a Scheduled story needs the time it goes public";
            return null;
        }

        error = null;
        return new SnippetDocument(
            record.Title, record.PublishedOn, AsWallClock(record.DocumentDate), record.Language, record.Categories ?? [],
            record.OriginalUrl, record.Site, record.Sources ?? [], record.Dateline, record.Body)
        {
            Slug = record.Slug,
            FormerSlugs = record.FormerSlugs ?? [],
            CreatedAtUtc = AsUtc(record.CreatedAt),
            UpdatedAtUtc = AsUtc(record.UpdatedAt),
            Status = status,
            PublishAtUtc = AsUtc(record.PublishAt),
            DeletedAtUtc = AsUtc(record.DeletedAt),
            CorrectionNote = record.CorrectionNote,
            License = record.License,
            Thread = record.Topics?.LastOrDefault(t => !string.IsNullOrWhiteSpace(t)),
            ImageUrl = record.Image,
            ImageAlt = record.ImageAlt,
            Summary = record.Summary,
        };
    }

    /// <summary>What each field holds, in the words of an error message (the API's article fields share most of them).</summary>
    public static readonly IReadOnlyDictionary<string, string> Expected = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["title"] = "text",
        ["slug"] = "text",
        ["formerSlugs"] = "a list of the story's earlier slugs like [\"talks-in-istanbul\"]",
        ["dateline"] = "text",
        ["body"] = "text (Markdown)",
        ["publishedOn"] = "a date like 2025-06-02",
        ["documentDate"] = "a local time like 2025-06-02T14:30:00",
        ["language"] = "a language tag like \"en\"",
        ["site"] = "text",
        ["originalUrl"] = "text",
        ["categories"] = "a list of names like [\"World\", \"Politics\"]",
        ["sources"] = "a list of names like [\"Reuters\"]",
        ["createdAt"] = "a UTC time like 2025-06-02T14:30:00Z",
        ["updatedAt"] = "a UTC time like 2025-06-02T14:30:00Z",
        ["status"] = "one of Draft, Scheduled, Published or Unpublished",
        ["publishAt"] = "a UTC time like 2025-06-02T14:30:00Z",
        ["deletedAt"] = "a UTC time like 2025-06-02T14:30:00Z",
        ["correctionNote"] = "text",
        ["license"] = "text, such as \"CC BY-SA 4.0\"",
        ["image"] = "an http or https address of a picture",
        ["imageAlt"] = "text saying what the picture shows",
        ["summary"] = "text: one line for listings, in place of the first paragraph",
        ["topics"] = "a list of story headings, outermost first, like [\"Middle Eastern crisis\", \"Gaza war\"]",
    };

    /// <summary>
    /// Says what is wrong in the schema's own terms: System.Text.Json's messages name .NET types and members
    /// ("could not be converted to System.DateOnly"), which mean nothing to the person fixing the file.
    /// </summary>
    private static string Describe(JsonException ex)
    {
        var field = ex.Path is { Length: > 2 } path ? path[2..].Split('[', '.')[0] : null;
        var message = ex.Message;
        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var missing = Expected.Keys.Where(name => message.Contains($"'{name}'", StringComparison.Ordinal)).ToList();
            return missing.Count == 0
                ? "required fields are missing: every line needs title, publishedOn and body"
                : $"required field{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))} missing ({string.Join("; ", missing.Select(m => $"{m} is {Expected[m]}"))})";
        }

        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var unknown = field ?? Between(message, "The JSON property '", "'") ?? "?";
            return $"unknown field '{unknown}'; the fields are {string.Join(", ", Expected.Keys)}";
        }

        if (field is not null && Expected.TryGetValue(field, out var expected))
        {
            return $"field '{field}' must be {expected}";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "the line is not an article object: each line must be one JSON object like {\"title\": …, \"publishedOn\": …, \"body\": …}";
        }

        // A syntax error: its message is about the text ("'x' is an invalid start of a value"), without type names.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var syntax = cut > 0 ? message[..cut] : message;
        var column = ex.BytePositionInLine is { } position ? $" (at character {position + 1})" : "";
        return $"not valid JSON{column}: {syntax.TrimEnd(' ', '.')}";
    }

    private static string? Between(string text, string before, string after)
    {
        var start = text.IndexOf(before, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += before.Length;
        var end = text.IndexOf(after, start, StringComparison.Ordinal);
        return end < 0 ? null : text[start..end];
    }

    private static DateTime? AsWallClock(DateTime? value)
        => value is { } v ? DateTime.SpecifyKind(v.Kind == DateTimeKind.Unspecified ? v : v.ToUniversalTime(), DateTimeKind.Unspecified) : null;

    private static DateTime? AsUtc(DateTime? value)
        => value is { } v ? v.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : v.ToUniversalTime() : null;

    private sealed record ArticleRecord
    {
        [JsonRequired]
        public string Title { get; init; } = "";

        public string? Slug { get; init; }
        public IReadOnlyList<string>? FormerSlugs { get; init; }
        public string? Dateline { get; init; }

        [JsonRequired]
        public string Body { get; init; } = "";

        [JsonRequired]
        public DateOnly PublishedOn { get; init; }

        public DateTime? DocumentDate { get; init; }
        public string? Language { get; init; }
        public string? Site { get; init; }
        public string? OriginalUrl { get; init; }
        public IReadOnlyList<string>? Categories { get; init; }
        public IReadOnlyList<string>? Sources { get; init; }
        public DateTime? CreatedAt { get; init; }
        public DateTime? UpdatedAt { get; init; }
        public string? Status { get; init; }
        public DateTime? PublishAt { get; init; }
        public DateTime? DeletedAt { get; init; }
        public string? CorrectionNote { get; init; }
        public string? License { get; init; }
        public IReadOnlyList<string>? Topics { get; init; }
        public string? Image { get; init; }
        public string? ImageAlt { get; init; }
        public string? Summary { get; init; }
    }
}
