using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Admin;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Data;
using NewsPortal.Web.Import;
using NewsPortal.Web.Search;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Threads;

namespace NewsPortal.Web.Api;

/// <summary>
/// The HTTP API under /api/v1: reads for anyone (and every status for editors), writes for editors with a personal
/// token. Errors are RFC 9457 problem+json; GETs carry an ETag and answer If-None-Match with 304.
/// </summary>
public static class ApiEndpoints
{
    public const string EditorPolicy = "ApiEditor";
    public const string RateLimitPolicy = "api";

    /// <summary>Largest request body an article write accepts: room for the largest body, JSON-escaped, and every other field.</summary>
    public const long ArticleRequestMaxBytes = 2 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new CleanTextJsonConverter() } };

    public static IEndpointRouteBuilder MapNewsPortalApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").RequireRateLimiting(RateLimitPolicy).WithTags("NewsPortal API")
            .AddEndpointFilter(ApiTokenAuthenticationHandler.RefuseUnacceptedCredentials);
        var write = api.MapGroup("").RequireAuthorization(EditorPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        var articleWrite = write.MapGroup("").WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ArticleRequestMaxBytes))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapGet("/articles", ListArticlesAsync).WithName("ListArticles")
            .WithSummary("Articles, newest first, a page at a time")
            .WithDescription("Filter by category, source, language, date range (from, to) and words (q: stories holding every word, among the 1,000 most recently added matches in the category, source, language and dates asked for; with a status, the 500 most recent public ones and 500 others; the last page says olderMatchesLeftOut: true when there were more). Editors (with a token) may ask for status=draft|scheduled|unpublished|deleted|all. Page with the cursor from the Link header or nextCursor.")
            .Produces<ApiPage<ApiArticleSummary>>().Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/articles/{slug}", GetArticleAsync).WithName("GetArticle")
            .WithSummary("One article, with its Markdown and its rendered HTML")
            .Produces<ApiArticle>().Produces(StatusCodes.Status304NotModified).Produces(StatusCodes.Status301MovedPermanently)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status410Gone).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/categories", ListCategoriesAsync).WithName("ListCategories").WithSummary("Categories with public articles, with counts")
            .WithDescription("200 a page by name, A–Z; letter=a..z|other, q=the start of a name; the next page's address is in the Link header.")
            .Produces<List<ApiName>>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/sources", ListSourcesAsync).WithName("ListSources").WithSummary("Sources credited on public articles, with counts")
            .WithDescription("200 a page by name, A–Z; letter=a..z|other, q=the start of a name; the next page's address is in the Link header.")
            .Produces<List<ApiName>>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/threads", ListThreadsAsync).WithName("ListThreads").WithSummary("Developing stories with public articles, the most recently active first, with counts")
            .WithDescription("60 a page; the next page's address is in the Link header (after=). A thread's articles: its feed at /threads/{slug}/feed.json.")
            .Produces<List<ApiThread>>().Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/search", SearchAsync).WithName("Search")
            .WithSummary("Ranked full-text search with the same operators as /search (source:, category:, lang:, before:, after:, \"phrases\", -words)")
            .Produces<ApiSearchResults>().Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        articleWrite.MapPost("/articles", CreateArticleAsync).WithName("CreateArticle").WithSummary("Create an article (status Draft unless given)")
            .Accepts<ApiArticleInput>("application/json").Produces<ApiArticle>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        articleWrite.MapPut("/articles/{slug}", UpdateArticleAsync).WithName("UpdateArticle")
            .WithSummary("Update an article; send the version you read, or its ETag in If-Match. Fields left out keep their values.")
            .Accepts<ApiArticleInput>("application/json").Produces<ApiArticle>()
            .Produces(StatusCodes.Status308PermanentRedirect)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        write.MapPost("/articles/{slug}/publish", (string slug, HttpContext context, ArticleApiService reads, ArticleAdminService articles, ArticleService stories, CancellationToken ct)
                => SetStatusAsync(slug, ArticleStatus.Published, context, reads, articles, stories, ct))
            .WithName("PublishArticle").WithSummary("Publish now")
            .Produces<ApiArticle>().Produces(StatusCodes.Status308PermanentRedirect).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        write.MapPost("/articles/{slug}/unpublish", (string slug, HttpContext context, ArticleApiService reads, ArticleAdminService articles, ArticleService stories, CancellationToken ct)
                => SetStatusAsync(slug, ArticleStatus.Unpublished, context, reads, articles, stories, ct))
            .WithName("UnpublishArticle").WithSummary("Take an article down")
            .Produces<ApiArticle>().Produces(StatusCodes.Status308PermanentRedirect).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        write.MapDelete("/articles/{slug}", DeleteArticleAsync).WithName("DeleteArticle")
            .WithSummary("Delete an article (soft: an admin can restore it; its page answers 410); ?permanent=true, an admin's, deletes a deleted one for good")
            .Produces(StatusCodes.Status204NoContent).Produces(StatusCodes.Status308PermanentRedirect).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        write.MapPost("/import", ImportAsync).WithName("Import")
            .WithSummary("Import snippet text (text/plain) or JSON Lines (application/x-ndjson) from the body; ?dryRun=true writes nothing")
            .Accepts<string>("text/plain", [.. JsonLinesMediaTypes]).Produces<ApiImportReport>()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .DisableRequestTimeout();
        return endpoints;
    }

    private static async Task<IResult> ListArticlesAsync(
        HttpContext context, ArticleApiService reads, SearchService search, string? category, string? source, string? language, string? status,
        DateOnly? from, DateOnly? to, string? q, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var editor = false;
        if (status is not null)
        {
            var user = await OptionalUserAsync(context);
            if (user is null)
            {
                return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "Authentication required", "Only editors, with a token, can list articles by status.");
            }

            if (!IsEditor(user))
            {
                return ApiProblems.Problem(StatusCodes.Status403Forbidden, "Not allowed", "Only editors can list articles by status.");
            }

            if (status.ToLowerInvariant() is not ("draft" or "scheduled" or "published" or "unpublished" or "deleted" or "all"))
            {
                return ApiProblems.Problem(StatusCodes.Status400BadRequest, "Unknown status", "status must be draft, scheduled, published, unpublished, deleted or all.");
            }

            editor = true;
        }

        var size = limit ?? 20;
        if (size is < 1 or > ArticleApiService.MaxLimit)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "Bad limit", $"limit must be between 1 and {ArticleApiService.MaxLimit}.");
        }

        // Query strings are text that comes in: cleaned as any is (PostgreSQL refuses a NUL in text with an error).
        var filter = new ApiArticleFilter(Text.OptionalLine(category), Text.OptionalLine(source), Text.OptionalLine(language), status, from, to, Text.OptionalLine(q));
        var page = await reads.ListAsync(filter, cursor, size, editor, cancellationToken);
        if (page is null)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "Bad cursor", "The cursor is not one this API gave out; start again without it.");
        }

        if (page.Stopped)
        {
            return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Search took too long", search.StoppedDetail);
        }

        if (page.NextCursor is { } next)
        {
            LinkNext(context, "cursor", next);
        }

        context.TagResponse(page.CacheTags);
        return WithETag(context, page);
    }

    private static async Task<IResult> GetArticleAsync(string slug, HttpContext context, ArticleApiService reads, ArticleService articles, CancellationToken cancellationToken)
    {
        var user = await OptionalUserAsync(context);
        var (article, gone, _) = await reads.GetAsync(slug, user is not null && IsEditor(user), cancellationToken);
        context.TagResponse(article?.CacheTags ?? []);
        if (article is null && !gone && await articles.MovedToAsync(slug, cancellationToken) is { } moved)
        {
            // An editor changed the story's address: the old one leads to the new, as on the site.
            return Results.Redirect($"/api/v1/articles/{Slug.InPath(moved.Slug)}{context.Request.QueryString}", permanent: true);
        }

        return article is not null ? WithETag(context, article)
            : gone ? Gone(slug)
            : ApiProblems.NotFound($"There is no article '{slug}'.");
    }

    /// <summary>Any request about a deleted article, reading or writing: it is there to restore, not to change.</summary>
    private static IResult Gone(string slug)
        => ApiProblems.Problem(StatusCodes.Status410Gone, "Gone", $"The article '{slug}' was deleted; an admin can restore it (/admin?status=deleted).");

    private static Task<IResult> ListCategoriesAsync(HttpContext context, NewsDbContext db, string? letter, string? q, string? after, CancellationToken cancellationToken)
        => ListNamesAsync(context, db.Categories, letter, q, after, cancellationToken);

    private static Task<IResult> ListSourcesAsync(HttpContext context, NewsDbContext db, string? letter, string? q, string? after, CancellationToken cancellationToken)
        => ListNamesAsync(context, db.Sources, letter, q, after, cancellationToken);

    /// <summary>A page of names, A–Z, as the HTML indexes read them; the next page's address in the Link header.</summary>
    private static async Task<IResult> ListNamesAsync<T>(HttpContext context, IQueryable<T> names, string? letter, string? q, string? after, CancellationToken cancellationToken)
        where T : IndexedName
    {
        if (NameIndex.Problem(letter, q, after) is { } problem)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "Bad name index", problem);
        }

        var page = await NameIndex.ReadAsync(names, letter, q, after, cancellationToken);
        if (page.NextAfter is { } next)
        {
            LinkNext(context, "after", next);
        }

        context.TagResponse(CacheTags.Names);
        return WithETag(context, page.Items.Select(n => new ApiName(n.Name, n.Slug, n.ArticleCount)).ToList());
    }

    /// <summary>A page of the developing stories as /threads reads them, from their own index; the next page's address in the Link header.</summary>
    private static async Task<IResult> ListThreadsAsync(HttpContext context, ThreadService threads, string? after, CancellationToken cancellationToken)
    {
        ListingCursor? from = null;
        if (after is not null && !ListingCursor.TryParse(after, out from))
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "Bad cursor", ListingCursor.InvalidMessage);
        }

        var page = await threads.ActiveAsync(from, ThreadService.PageSize + 1, cancellationToken: cancellationToken);
        if (page.Count > ThreadService.PageSize)
        {
            page.RemoveAt(page.Count - 1);
            LinkNext(context, "after", page[^1].Position.ToString());
        }

        context.TagResponse(CacheTags.Names);
        return WithETag(context, page.Select(t => new ApiThread(t.Name, t.Slug, t.ArticleCount, t.LatestOn)).ToList());
    }

    private static async Task<IResult> SearchAsync(HttpContext context, SearchService search, string? q, int? page, string? sort, CancellationToken cancellationToken)
    {
        if (page is < 1)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "Bad page", "page must be 1 or more.");
        }

        if (!SearchQuery.TryParseSort(sort, out var newestFirst, out var problem))
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "Bad sort", problem!);
        }

        var results = await search.SearchAsync(SearchQuery.Parse(q) with { NewestFirst = newestFirst }, page ?? 1, cancellationToken);
        if (results.Stopped)
        {
            return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Search took too long", search.StoppedDetail);
        }

        context.TagResponse([CacheTags.Search, .. results.Hits.Items.SelectMany(SearchService.TagsOf)]);
        return WithETag(context, new ApiSearchResults(
            results.Query.Text, results.Hits.TotalCount, results.Hits.PageNumber, results.Hits.TotalPages,
            [.. results.Hits.Items.Select(h => new ApiSearchHit(h.Slug, h.Title, h.TitleHtml, h.SnippetHtml, h.PublishedOn, h.Language))],
            results.Problem));
    }

    private static async Task<IResult> CreateArticleAsync(HttpContext context, ArticleAdminService articles, ArticleApiService reads, CancellationToken cancellationToken)
    {
        var (input, problem) = await ReadInputAsync(context);
        if (problem is not null)
        {
            return problem;
        }

        var form = Overlay(new ArticleForm(), input!, out var errors);
        if (await ValidateAsync(form, null, errors, articles, context.RequestServices, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        var saved = await articles.CreateAsync(form, context.User.Identity!.Name!, cancellationToken);
        if (saved.AddressTaken is { } taken)
        {
            return AddressProblem(taken);
        }

        var (article, _, _) = await reads.GetAsync(saved.Slug, editor: true, cancellationToken);
        return Results.Created($"/api/v1/articles/{Slug.InPath(saved.Slug)}", article);
    }

    private static async Task<IResult> UpdateArticleAsync(
        string slug, HttpContext context, ArticleAdminService articles, ArticleApiService reads, ArticleService stories, CancellationToken cancellationToken)
    {
        var (input, problem) = await ReadInputAsync(context);
        if (problem is not null)
        {
            return problem;
        }

        var (read, gone, id) = await reads.GetAsync(slug, editor: true, cancellationToken);
        if (id == 0)
        {
            return await NotHereAsync(slug, "", context, stories, cancellationToken);
        }

        if (gone)
        {
            return Gone(slug);
        }

        if (await articles.GetFormAsync(id, cancellationToken) is not { } current)
        {
            return ApiProblems.NotFound($"There is no article '{slug}'.");
        }

        if (PreconditionFailed(context, read) is { } failed)
        {
            return failed;
        }

        // An If-Match that named the article as it is now stands for the version it was read at.
        input = context.Request.Headers.IfMatch.Count > 0 && input!.Version is null && read is not null ? input with { Version = read.Version } : input;
        var form = Overlay(current.Form, input!, out var errors);
        if (input!.Version is null)
        {
            errors["version"] = ["Send the version of the article you read (from GET), or its ETag in If-Match, so a newer save is not overwritten."];
        }

        if (await ValidateAsync(form, id, errors, articles, context.RequestServices, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        form.Version = input.Version!.Value;
        var saved = await articles.UpdateAsync(id, form, context.User.Identity!.Name!, cancellationToken: cancellationToken);
        return await AfterSaveAsync(saved, slug, reads, cancellationToken);
    }

    private static async Task<IResult> SetStatusAsync(
        string slug, ArticleStatus status, HttpContext context, ArticleApiService reads, ArticleAdminService articles, ArticleService stories, CancellationToken cancellationToken)
    {
        var (current, gone, id) = await reads.GetAsync(slug, editor: true, cancellationToken);
        if (current is null)
        {
            return gone ? Gone(slug)
                : id == 0 ? await NotHereAsync(slug, status == ArticleStatus.Published ? "/publish" : "/unpublish", context, stories, cancellationToken)
                : ApiProblems.NotFound($"There is no article '{slug}'.");
        }

        var saved = await articles.SetStatusAsync(id, status, context.User.Identity!.Name!, cancellationToken);
        return await AfterSaveAsync(saved, slug, reads, cancellationToken);
    }

    private static async Task<IResult> DeleteArticleAsync(
        string slug, bool? permanent, HttpContext context, ArticleApiService reads, ArticleAdminService articles, ArticleService stories, CancellationToken cancellationToken)
    {
        if (permanent == true && !context.User.IsInRole(Roles.Admin))
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "Not allowed", "Only admins can delete an article permanently.");
        }

        var (_, gone, id) = await reads.GetAsync(slug, editor: true, cancellationToken);
        if (id == 0)
        {
            return await NotHereAsync(slug, "", context, stories, cancellationToken);
        }

        if (permanent == true)
        {
            return await articles.PurgeAsync(id, context.User.Identity!.Name!, cancellationToken) switch
            {
                ArticleAdminService.PurgeOutcome.Purged => Results.NoContent(),
                ArticleAdminService.PurgeOutcome.NoSuchStory => ApiProblems.NotFound($"There is no article '{slug}'."),
                _ => ApiProblems.Problem(StatusCodes.Status409Conflict, "Not deleted",
                    $"'{slug}' is not deleted: only a deleted article can be deleted permanently. Delete it first (without ?permanent=true)."),
            };
        }

        // A delete that finds the story already deleted lost a race with another: it is gone, as it is to a later one.
        return gone || await articles.DeleteAsync(id, context.User.Identity!.Name!, cancellationToken) is not { AlreadyDeleted: false }
            ? Gone(slug) : Results.NoContent();
    }

    /// <summary>
    /// A write to an address no story has: if an editor moved the story from it, 308 to where it is now (method and
    /// body kept, so a client that follows makes the same change there, as a reader's link is followed with 301);
    /// else 404. An integration that stored a story's address is not told the story is gone because it was renamed.
    /// </summary>
    private static async Task<IResult> NotHereAsync(string slug, string action, HttpContext context, ArticleService stories, CancellationToken cancellationToken)
        => await stories.MovedToAsync(slug, cancellationToken) is { } moved
            ? Results.Redirect($"/api/v1/articles/{Slug.InPath(moved.Slug)}{action}{context.Request.QueryString}", permanent: true, preserveMethod: true)
            : ApiProblems.NotFound($"There is no article '{slug}'.");

    /// <summary>The names JSON Lines goes by; the first is the one to send.</summary>
    private static readonly string[] JsonLinesMediaTypes = ["application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/json-lines"];

    /// <summary>What an import takes, for the 415 that routing answers.</summary>
    public const string ImportMediaTypes = "Send snippet text as text/plain or JSON Lines as application/x-ndjson.";

    private static async Task<IResult> ImportAsync(
        HttpContext context, ImportService importer, Audit.AuditLog audit, IOptions<ImportOptions> options, bool? dryRun, CancellationToken cancellationToken)
    {
        // Routing answers 415 for any other type (see Accepts above, and ImportMediaTypes).
        var mediaType = context.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var name = JsonLinesMediaTypes.Contains(mediaType) ? "request.jsonl" : "request.txt";

        var limit = options.Value.MaxFileBytes;
        if (context.Request.ContentLength > limit)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Too large", $"The body is larger than {limit:N0} bytes (Import:MaxFileBytes).");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        // Buffer the body so the importer sees its length and can check the limit even without Content-Length.
        await using var body = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(body, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Too large", $"The body is larger than {limit:N0} bytes (Import:MaxFileBytes).");
        }

        if (body.Length == 0)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "Empty body", "The body is empty: send the stories to import. " + ImportMediaTypes);
        }

        body.Position = 0;
        var report = await importer.ImportStreamsAsync([(name, () => new NonClosingStream(body))], dryRun ?? false, cancellationToken);
        if (!report.DryRun)
        {
            // The stories are saved: a client that hangs up now must not leave them without their record.
            await audit.RecordAsync(context.User.Identity!.Name!, "import", "API request", report.AuditSummary, CancellationToken.None);
        }

        var result = new ApiImportReport(report.DryRun, report.Imported, report.Updated, report.Unchanged, report.Rejected,
            [.. report.Problems.Select(p => new ApiImportProblem(p.File, p.Line, p.Reason))], report.ToString(), report.Withheld);
        return report.HasRejections
            ? Results.Problem(detail: "Nothing from the body was imported: " + report.Problems[0], statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The import was rejected", extensions: new Dictionary<string, object?> { ["report"] = result })
            : Results.Ok(result);
    }

    private static async Task<IResult> AfterSaveAsync(SaveResult? saved, string slug, ArticleApiService reads, CancellationToken cancellationToken)
    {
        if (saved is null)
        {
            // The story was there when the request began: it was deleted meanwhile.
            return Gone(slug);
        }

        if (saved.AddressTaken is { } taken)
        {
            return AddressProblem(taken);
        }

        var (article, _, _) = await reads.GetAsync(saved.Slug, editor: true, cancellationToken);
        return saved.Saved
            ? Results.Ok(article)
            : Results.Problem(detail: saved.Conflict, statusCode: StatusCodes.Status409Conflict, title: "Edit conflict",
                extensions: new Dictionary<string, object?> { ["currentVersion"] = article?.Version });
    }

    private static async Task<(ApiArticleInput? Input, IResult? Problem)> ReadInputAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the article as application/json."));
        }

        if (context.Request.ContentLength > ArticleRequestMaxBytes)
        {
            return (null, TooLarge(context));
        }

        try
        {
            // Read whole before it is parsed (at most ArticleRequestMaxBytes; in memory up to 64 KB): parsed as it came,
            // a body refused halfway was left part-read, and when its client hung up on the 400 at once, Kestrel
            // failed the connection ("Reading is already in progress", a warning with a stack trace).
            context.Request.EnableBuffering(bufferThreshold: 64 * 1024);
            await context.Request.Body.DrainAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            var input = await context.Request.ReadFromJsonAsync<ApiArticleInput>(Json, context.RequestAborted);
            if (input is null)
            {
                return (null, ApiProblems.Problem(StatusCodes.Status400BadRequest, "Empty body", "Send an article object."));
            }

            // Nullable annotations are not checked on a list's items.
            foreach (var (field, names) in (ReadOnlySpan<(string, IReadOnlyList<string>?)>)[("categories", input.Categories), ("sources", input.Sources)])
            {
                if (names is not null && names.Contains(null!))
                {
                    return (null, ApiProblems.Problem(StatusCodes.Status400BadRequest, "Malformed JSON",
                        $"The body is not a valid article object: '{field}' must be {ArticleFields[field]}, without nulls."));
                }
            }

            return (input, null);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.Problem(StatusCodes.Status400BadRequest, "Malformed JSON", DescribeJsonProblem(ex)));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(context));
        }

        static IResult TooLarge(HttpContext context) => ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Request too large",
            $"An article request can be at most {ArticleRequestMaxBytes / 1024 / 1024} MB, and an article's body at most "
            + $"{context.RequestServices.GetRequiredService<IOptions<ImportOptions>>().Value.MaxBodyBytes / 1024} KB (Import:MaxBodyBytes).");
    }

    private static readonly string[] InputFields = [.. typeof(ApiArticleInput).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))];

    /// <summary>What a read of an article shows and a write cannot set.</summary>
    private static readonly HashSet<string> ReadOnlyFields = [.. typeof(ApiArticle).GetProperties()
        .Where(p => p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), false).Length == 0)
        .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Except(InputFields)];

    /// <summary>What each article field holds, for error messages: the JSON Lines words, and the API's own fields.</summary>
    private static readonly Dictionary<string, string> ArticleFields = new(JsonLines.Expected, StringComparer.Ordinal)
    {
        ["publishAt"] = "a UTC time like 2025-06-02T14:30:00Z",
        ["thread"] = "text: the name of the developing story",
        ["version"] = "the whole number the article's last read gave (its version)",
    };

    /// <summary>
    /// A body that is not an article object, said in the API's terms: System.Text.Json names .NET types ("could not be
    /// converted to System.Collections.Generic.IReadOnlyList`1[System.String]"), which mean nothing to a client.
    /// </summary>
    private static string DescribeJsonProblem(JsonException ex)
    {
        var field = ex.Path is { Length: > 2 } path ? path[2..].Split('[', '.')[0] : null;
        if (ex.InnerException is InvalidOperationException { Message: var inner } && inner.Contains("UTF-8", StringComparison.Ordinal))
        {
            return $"The body is not valid UTF-8{(field is null ? "" : $" (in '{field}')")}: send the JSON as UTF-8 text.";
        }

        if (ex.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            // A misspelt field would otherwise be dropped without a word, as the JSON Lines importer refuses it too.
            return ReadOnlyFields.Contains(field ?? "")
                ? $"'{field}' is read-only: the article shows it, but it is not set by a write (the text is 'body')."
                : $"Unknown field '{field}'; an article's fields are {string.Join(", ", InputFields)}.";
        }

        if (field is not null && ArticleFields.TryGetValue(field, out var expected))
        {
            return $"The body is not a valid article object: '{field}' must be {expected}.";
        }

        if (ex.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "The body must be one JSON object like {\"title\": …, \"publishedOn\": …, \"body\": …}.";
        }

        // A syntax error: its message is about the text ("'x' is an invalid start of a value"), without type names.
        var column = ex.BytePositionInLine is { } position ? $" at character {position + 1}" : "";
        return $"The body is not valid JSON{column}: {ex.Message.Split(" Path:")[0].TrimEnd(' ', '.')}.";
    }

    /// <summary>Lays the given fields over the form; fields left out keep the form's values.</summary>
    private static ArticleForm Overlay(ArticleForm form, ApiArticleInput input, out Dictionary<string, string[]> errors)
    {
        errors = [];
        form.Title = input.Title ?? form.Title;
        form.Dateline = input.Dateline ?? form.Dateline;
        form.Body = input.Body ?? form.Body;
        form.PublishedOn = input.PublishedOn ?? form.PublishedOn;
        form.DocumentDate = input.DocumentDate ?? form.DocumentDate;
        form.Language = input.Language ?? form.Language;
        form.Site = input.Site ?? form.Site;
        form.OriginalUrl = input.OriginalUrl ?? form.OriginalUrl;
        form.License = input.License ?? form.License;
        form.Thread = input.Thread is { } thread ? (thread.Trim().Length == 0 ? null : thread) : form.Thread;
        form.ImageUrl = input.Image is { } image ? (image.Trim().Length == 0 ? null : image) : form.ImageUrl;
        form.ImageAlt = input.ImageAlt is { } alt ? (alt.Trim().Length == 0 ? null : alt) : form.ImageAlt;
        form.Summary = input.Summary is { } summary ? (summary.Trim().Length == 0 ? null : summary) : form.Summary;
        form.Slug = input.Slug ?? form.Slug;
        form.Categories = input.Categories is { } categories ? NameList.Format(categories) : form.Categories;
        form.Sources = input.Sources is { } sources ? NameList.Format(sources) : form.Sources;
        form.PublishAtUtc = input.PublishAt is { } at ? at.ToUniversalTime() : form.PublishAtUtc;
        form.CorrectionNote = input.CorrectionNote ?? form.CorrectionNote;
        if (input.Status is { } status)
        {
            if (EnumName.TryParse<ArticleStatus>(status, out var parsed))
            {
                form.Status = parsed;
            }
            else
            {
                errors["status"] = ["status must be Draft, Scheduled, Published or Unpublished."];
            }
        }

        return form;
    }

    /// <summary>The form's own rules, then whether the address it asks for is free (another story's, present or past, is not).</summary>
    private static async Task<IResult?> ValidateAsync(
        ArticleForm form, int? id, Dictionary<string, string[]> errors, ArticleAdminService articles, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (Validate(form, errors, services) is { } invalid)
        {
            return invalid;
        }

        return await articles.SlugProblemAsync(form, id, cancellationToken) is { } taken ? AddressProblem(taken) : null;
    }

    private static IResult AddressProblem(string problem) => Results.ValidationProblem(new Dictionary<string, string[]> { ["slug"] = [problem] },
        statusCode: StatusCodes.Status422UnprocessableEntity, title: "The article is not valid", detail: problem);

    private static IResult? Validate(ArticleForm form, Dictionary<string, string[]> errors, IServiceProvider services)
    {
        var results = new List<ValidationResult>();
        var context = new ValidationContext(form, services, null);
        if (!Validator.TryValidateObject(form, context, results, validateAllProperties: true))
        {
            // The validator skips the cross-field rules once a field fails; report every problem at once (and once:
            // when every field passed, the validator ran them already).
            results.AddRange(form.Validate(context));
        }

        foreach (var result in results.DistinctBy(r => (r.ErrorMessage, string.Join('\n', r.MemberNames))))
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(""))
            {
                var key = JsonNamingPolicy.CamelCase.ConvertName(member switch { "PublishAtUtc" => "PublishAt", _ => member });
                errors[key] = [.. errors.GetValueOrDefault(key, []), result.ErrorMessage ?? "Not valid."];
            }
        }

        return errors.Count == 0 ? null : Results.ValidationProblem(errors, statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The article is not valid", detail: string.Join(" ", errors.SelectMany(e => e.Value)));
    }

    /// <summary>
    /// The next page's address in the Link header: this request's, with the position parameter moved on. Only the
    /// keys a read looks at are carried: a shared link's click ids would otherwise be kept with the cached copy (which
    /// is keyed without them) and handed to every client after.
    /// </summary>
    private static void LinkNext(HttpContext context, string position, string value)
    {
        var query = context.Request.Query.Where(p => p.Key != position && PortalCachePolicy.IsReadKey(p.Key))
            .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString()))
            .Append(new(position, value));
        context.Response.Headers.Link = $"<{context.Request.Path}{QueryString.Create(query)}>; rel=\"next\"";
    }

    /// <summary>The JSON with a strong ETag; 304 when the client already has this exact representation.</summary>
    private static IResult WithETag<T>(HttpContext context, T value)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, Json);
        var etag = ETagOf(bytes);
        context.Response.Headers.ETag = etag;
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && (ifNoneMatch.Trim() == "*" || ifNoneMatch.Split(',').Any(t => t.Trim().TrimStart('W', '/') == etag)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(bytes, "application/json; charset=utf-8");
    }

    /// <summary>A strong validator of a response's exact bytes.</summary>
    private static string ETagOf(byte[] bytes) => $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"";

    /// <summary>
    /// Whether a write's <c>If-Match</c> (when sent) names the article as the client can read it now: null when it
    /// does or none was sent, else the 412 to answer. Tags compare strongly, as RFC 9110 asks of If-Match.
    /// </summary>
    private static IResult? PreconditionFailed(HttpContext context, ApiArticle? current)
    {
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0 || ifMatch.Trim() == "*" && current is not null)
        {
            return null;
        }

        var etag = current is null ? null : ETagOf(JsonSerializer.SerializeToUtf8Bytes(current, Json));
        return ifMatch.Split(',').Any(t => t.Trim() == etag)
            ? null
            : Results.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed",
                detail: "The article has changed since the read whose ETag you sent in If-Match: read it again, then send your change.",
                extensions: new Dictionary<string, object?> { ["currentVersion"] = current?.Version });
    }

    private static async Task<ClaimsPrincipal?> OptionalUserAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(ApiTokenAuthenticationHandler.SchemeName);
        return result.Succeeded ? result.Principal : null;
    }

    private static bool IsEditor(ClaimsPrincipal user) => user.IsInRole(Roles.Editor) || user.IsInRole(Roles.Admin);

    /// <summary>Lets the importer dispose what it was given without closing the buffer this endpoint owns.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
