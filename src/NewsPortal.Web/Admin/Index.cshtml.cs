using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Admin;

public sealed class IndexModel(ArticleAdminService articles, Threads.ThreadService threads) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Source { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>A thread's slug: that developing story's snippets.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Thread { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    public AdminListPage Rows { get; private set; } = AdminListPage.Empty;

    /// <summary>The most recently active developing stories, to pick from in the filter and the bulk action.</summary>
    public IReadOnlyList<string> ThreadNames { get; private set; } = [];

    /// <summary>The page starts after this story, in the list's order ("Next").</summary>
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    /// <summary>The page ends before this story ("Previous").</summary>
    [BindProperty(SupportsGet = true)]
    public string? Back { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        ListingCursor? from = null, back = null;
        if ((From is not null && !ListingCursor.TryParse(From, out from)) || (Back is not null && !ListingCursor.TryParse(Back, out back)) || (from is not null && back is not null))
        {
            return ErrorModel.BadRequest(this, ListingCursor.InvalidMessage);
        }

        if (Status is "deleted" && !User.IsInRole(Roles.Admin))
        {
            return Forbid();
        }

        Rows = await articles.ListAsync(new AdminArticleFilter(Status, Category, Source, Q, Sort == "oldest", from, back, Thread), cancellationToken);
        if (Rows.Stopped is not null)
        {
            // As the readers' search page answers a search stopped for time.
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }

        ThreadNames = [.. (await threads.ActiveAsync(null, Threads.ThreadService.PageSize, cancellationToken: cancellationToken)).Select(t => t.Name)];
        return Page();
    }

    /// <summary>The story just deleted, offered for undo: its id and title.</summary>
    [TempData]
    public int? Deleted { get; set; }

    [TempData]
    public string? DeletedTitle { get; set; }

    [TempData]
    public string? Message { get; set; }

    /// <summary>
    /// Restores a deleted article: an admin's at any time, from the deleted list; an editor's "Undo" only within
    /// <see cref="ArticleAdminService.UndoWindow"/> of the deletion.
    /// </summary>
    public async Task<IActionResult> OnPostUndeleteAsync(int id, bool undo, CancellationToken cancellationToken)
    {
        var admin = User.IsInRole(Roles.Admin);
        if (!admin && !undo)
        {
            return Forbid();
        }

        if (!await articles.UndeleteAsync(id, User.Identity!.Name!, withinUndoWindow: !admin, cancellationToken))
        {
            return admin ? NotFound() : ErrorModel.BadRequest(this,
                $"That story can no longer be restored from here: an editor can undo a deletion within {ArticleAdminService.UndoWindow.TotalMinutes:0} minutes; after that, ask an admin.");
        }

        Message = "Restored.";
        return undo ? RedirectToPage() : RedirectToPage(new { status = "deleted" });
    }

    /// <summary>Deletes a story for good, from the deleted list: an admin's, as restoring one is.</summary>
    public async Task<IActionResult> OnPostPurgeAsync(int id, CancellationToken cancellationToken)
    {
        if (!User.IsInRole(Roles.Admin))
        {
            return Forbid();
        }

        switch (await articles.PurgeAsync(id, User.Identity!.Name!, cancellationToken))
        {
            case ArticleAdminService.PurgeOutcome.NoSuchStory:
                return NotFound();
            case ArticleAdminService.PurgeOutcome.NotDeleted:
                return ErrorModel.BadRequest(this,
                    "That story is not deleted (it may have been restored meanwhile). Only a story in the deleted list can be deleted permanently: delete it first.");
            default:
                Message = "Deleted permanently.";
                return RedirectToPage(new { status = "deleted" });
        }
    }

    /// <summary>Publishes, unpublishes, deletes or sets the thread of the ticked stories, each as its own save.</summary>
    public async Task<IActionResult> OnPostBulkAsync(List<int> ids, string? bulk, string? threadName, CancellationToken cancellationToken)
    {
        if (!EnumName.TryParse<BulkAction>(bulk, out var action))
        {
            return ErrorModel.BadRequest(this, "Choose what to do: publish, unpublish, delete or set the developing story.");
        }

        var thread = Text.OptionalLine(threadName);
        if (thread is { Length: > Threads.StoryThread.NameMaxLength })
        {
            return ErrorModel.BadRequest(this, $"A developing story's name can be at most {Threads.StoryThread.NameMaxLength} characters long.");
        }

        if (ids.Count == 0)
        {
            Message = "Tick the stories to change first.";
            return Redirect(ListLink());
        }

        var result = await articles.BulkAsync(ids, action, thread, User.Identity!.Name!, cancellationToken);
        var stories = Text.Counted(result.Changed, "story", "stories");
        Message = action switch
        {
            BulkAction.Publish => $"Published {stories}.",
            BulkAction.Unpublish => $"Unpublished {stories}.",
            BulkAction.Delete => $"Deleted {stories}.",
            _ => thread is null ? $"Took {stories} out of their developing story." : $"Put {stories} in “{thread}”.",
        } + (result.Problems.Count > 0 ? " " + string.Join(" ", result.Problems) : "");
        return Redirect(ListLink());
    }

    /// <summary>This list's address with its filters, for a form's action (with a handler) or the way back after one.</summary>
    public string ListLink(string? handler = null) => With("handler", handler);

    /// <summary>The page after or before this one: a position in the list, with the filters kept.</summary>
    public string PageLink(string key, ListingCursor position)
        => Request.Path + QueryString.Create(Request.Query.Where(q => q.Key is not ("from" or "back" or "page" or "handler"))
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
            .Append(new KeyValuePair<string, string?>(key, position.ToString())));

    /// <summary>This list's address with <paramref name="key"/> set to <paramref name="value"/> (left out when null).</summary>
    private string With(string key, string? value)
        => Request.Path + QueryString.Create(Request.Query.Where(q => q.Key != key && q.Key != "handler")
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
            .Concat(value is null ? [] : [new KeyValuePair<string, string?>(key, value)]));
}
