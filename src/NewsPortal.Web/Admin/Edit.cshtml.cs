using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Threads;

namespace NewsPortal.Web.Admin;

public sealed class EditModel(ArticleAdminService articles, NameAdminService names, ThreadService threads, PreviewLinks previews, TimeProvider clock,
    ILogger<EditModel> logger)
    : PageModel
{
    [BindProperty]
    public ArticleForm Form { get; set; } = new();

    public int? Id { get; private set; }
    public string? Slug { get; private set; }
    public string? PreviewHtml { get; private set; }
    public string? Conflict { get; private set; }

    /// <summary>A signed link to the story on its real page while it is not public.</summary>
    public string? PreviewPath { get; private set; }

    /// <summary>The story's status as stored (a new story is a draft), which decides the actions offered.</summary>
    public ArticleStatus SavedStatus { get; private set; } = ArticleStatus.Draft;

    /// <summary>
    /// What the last save did ("Saved."), carried across its redirect. Read only by the page itself: as a [TempData]
    /// property it was read, and so used up, by every handler of this page, and the name suggestions the page asks
    /// for as the editor types could take it before the saved page was shown.
    /// </summary>
    public string? Message { get; private set; }

    private const string MessageKey = "Edit.Message";

    /// <summary>How many names the category and source fields suggest at a time.</summary>
    public const int Suggestions = 10;

    /// <summary>For a story in no developing story: the one it probably follows, offered, not applied.</summary>
    public string? SuggestedThread { get; private set; }

    /// <summary>The most recently active threads, to pick from (a bounded list, not every thread ever).</summary>
    public IReadOnlyList<string> ThreadNames { get; private set; } = [];

    private string Editor => User.Identity!.Name!;

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken cancellationToken)
    {
        Message = TempData[MessageKey] as string;
        if (id is { } existing)
        {
            var found = await articles.GetFormAsync(existing, cancellationToken);
            if (found is null || found.Value.Deleted)
            {
                return NotFound();
            }

            (Form, Slug, _) = found.Value;
            Id = existing;
            PreviewHtml = articles.Preview(Form);
            if (string.IsNullOrWhiteSpace(Form.Thread))
            {
                SuggestedThread = (await threads.SuggestAsync(Form.Title + " " + (Form.Summary ?? Form.Body),
                    Form.PublishedOn ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), Form.CategoryNames, cancellationToken))?.Name;
            }
        }
        else
        {
            Form = new ArticleForm { PublishedOn = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime) };
        }

        return await ShowAsync(cancellationToken);
    }

    public Task<IActionResult> OnPostAsync(int? id, CancellationToken cancellationToken) => SaveAsync(id, null, "Saved.", cancellationToken);

    /// <summary>Saves what is on the screen and publishes it, in one step: nothing typed since the last save is lost.</summary>
    public Task<IActionResult> OnPostPublishAsync(int? id, CancellationToken cancellationToken)
        => SaveAsync(id, ArticleStatus.Published, "Published.", cancellationToken);

    /// <summary>Saves what is on the screen and takes the story down.</summary>
    public Task<IActionResult> OnPostUnpublishAsync(int id, CancellationToken cancellationToken)
        => SaveAsync(id, ArticleStatus.Unpublished, "Unpublished.", cancellationToken);

    private async Task<IActionResult> SaveAsync(int? id, ArticleStatus? status, string message, CancellationToken cancellationToken)
    {
        Id = id;
        if (status is { } chosen)
        {
            // The button chose the status, not the form's select: only a scheduled story needs a publish time.
            Form.Status = chosen;
            ModelState.Remove($"{nameof(Form)}.{nameof(ArticleForm.PublishAtUtc)}");
        }

        // Fields the page keeps out of sight (the version read, the confirmations) have nowhere to show an error of
        // their own: a form that came back with one unreadable says so above it.
        foreach (var unseen in (string[])[nameof(ArticleForm.Version), nameof(ArticleForm.CreateNewNames), nameof(ArticleForm.NotADuplicate)])
        {
            if (ModelState[$"{nameof(Form)}.{unseen}"] is { Errors.Count: > 0 })
            {
                ModelState.AddModelError("", $"The form came back incomplete or changed ('{unseen}' could not be read): open the story again and save from there.");
            }
        }

        if (ModelState.IsValid && !Form.CreateNewNames)
        {
            await WarnOfLookalikesAsync(NameKind.Category, Form.CategoryNames, $"{nameof(Form)}.{nameof(ArticleForm.Categories)}", "category", cancellationToken);
            await WarnOfLookalikesAsync(NameKind.Source, Form.SourceNames, $"{nameof(Form)}.{nameof(ArticleForm.Sources)}", "source", cancellationToken);
            AskToConfirmNewNames = !ModelState.IsValid;
        }

        if (ModelState.IsValid && await articles.SlugProblemAsync(Form, id, cancellationToken) is { } slugProblem)
        {
            ModelState.AddModelError($"{nameof(Form)}.{nameof(ArticleForm.Slug)}", slugProblem);
        }

        if (ModelState.IsValid && !Form.NotADuplicate && (id is null || status == ArticleStatus.Published))
        {
            LikelyDuplicates = await articles.LikelyDuplicatesAsync(Form, id, cancellationToken);
            if (LikelyDuplicates.Count > 0)
            {
                ModelState.AddModelError("", "A published story looks like the same event: open it to check, or tick \"Save it anyway\".");
            }
        }

        if (!ModelState.IsValid)
        {
            PreviewHtml = articles.Preview(Form);
            return await ShowAsync(cancellationToken, StatusCodes.Status422UnprocessableEntity);
        }

        SaveResult? result;
        try
        {
            result = id is { } existing
                ? await articles.UpdateAsync(existing, Form, Editor, status is null ? "edited" : status.Value.ToString().ToLowerInvariant(), cancellationToken: cancellationToken)
                : await articles.CreateAsync(Form, Editor, cancellationToken);
        }
        catch (Exception ex) when (StoreDialect.IsUnavailable(ex) || StoreDialect.IsOutOfSpace(ex))
        {
            // The editor's text is only in this request: give it back with the form rather than an error page.
            var full = StoreDialect.IsOutOfSpace(ex);
            var held = StoreDialect.IsHeldByAnotherWriter(ex);
            logger.LogWarning(ex, "The store did not take article {Id}: {Reason}", id,
                full ? "its disk is full" : held ? "another writer held it past Portal:WriteWaitSeconds" : "it did not answer");
            ModelState.AddModelError("", full
                ? "The store's disk is full, so this was not saved. Everything you typed is still here: copy it, and save again once an administrator has freed space."
                : held
                    ? $"This was not saved: {StoreHealth.HeldByAnotherWriter}. Everything you typed is still here: save again once it has finished."
                    : "The store did not answer, so this was not saved. Everything you typed is still here: save again in a few seconds.");
            PreviewHtml = articles.Preview(Form);
            if (!full)
            {
                StoreHealth.AskToComeBack(Response);
            }

            return await ShowAsync(cancellationToken, full ? StatusCodes.Status507InsufficientStorage : StatusCodes.Status503ServiceUnavailable);
        }

        if (result is null)
        {
            // Deleted by another editor while this one edited: the text is only in this request, so it goes back to them.
            ModelState.AddModelError("", "This story was deleted while you were editing it, so this was not saved. Everything you typed is still here: copy it, or restore the story from the deleted stories and save again.");
            PreviewHtml = articles.Preview(Form);
            return await ShowAsync(cancellationToken, StatusCodes.Status409Conflict);
        }

        if (result.AddressTaken is { } taken)
        {
            ModelState.AddModelError($"{nameof(Form)}.{nameof(ArticleForm.Slug)}", taken);
            PreviewHtml = articles.Preview(Form);
            return await ShowAsync(cancellationToken, StatusCodes.Status422UnprocessableEntity);
        }

        if (!result.Saved)
        {
            Conflict = result.Conflict;
            Slug = result.Slug;
            PreviewHtml = articles.Preview(Form);
            return await ShowAsync(cancellationToken, StatusCodes.Status409Conflict);
        }

        TempData[MessageKey] = message;
        return RedirectToPage(new { id = result.Id });
    }

    /// <summary>Renders the body exactly as the public page will; scripts ask for just the fragment.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(int? id, CancellationToken cancellationToken)
    {
        PreviewHtml = articles.Preview(Form);
        if (Request.Headers["X-Preview"] == "fragment")
        {
            return Content(PreviewHtml, "text/html; charset=utf-8");
        }

        Id = id;
        ModelState.Clear();
        return await ShowAsync(cancellationToken);
    }

    /// <summary>
    /// Stored names that start as the editor's last typed one does, for the category and source fields (the page's
    /// script asks as the editor types, so the page never carries every name).
    /// </summary>
    public async Task<IActionResult> OnGetNamesAsync(string? kind, string? q, CancellationToken cancellationToken)
    {
        if (!EnumName.TryParse<NameKind>(kind, out var nameKind))
        {
            return ErrorModel.BadRequest(this, "Ask for kind=category, kind=source or kind=thread.");
        }

        if (q is { Length: > Sources.Source.NameMaxLength })
        {
            return ErrorModel.BadRequest(this, $"A name can be at most {Sources.Source.NameMaxLength} characters long.");
        }

        return new JsonResult(await names.StartingWithAsync(nameKind, q, Suggestions, cancellationToken));
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken)
    {
        var deletion = await articles.DeleteAsync(id, Editor, cancellationToken);
        if (deletion is null)
        {
            return NotFound();
        }

        if (deletion.AlreadyDeleted)
        {
            // Deleted from another tab, or by another editor, since this page was read: said so, not "no page here".
            ErrorModel.Explain(HttpContext, $"“{deletion.Title}” had already been deleted. An admin can restore it from the deleted stories.");
            return StatusCode(StatusCodes.Status410Gone);
        }

        // The list offers "Undo" for it.
        TempData["Deleted"] = id;
        TempData["DeletedTitle"] = deletion.Title;
        return Redirect("/admin");
    }

    /// <summary>Published stories that look like the one being saved, which the editor is asked to check first.</summary>
    public IReadOnlyList<Headline> LikelyDuplicates { get; private set; } = [];

    /// <summary>Whether the form offers "Create the new names as typed" (after a warning about names like stored ones).</summary>
    public bool AskToConfirmNewNames { get; private set; }

    /// <summary>A name that would be new but looks like a stored one ("Business and econony") is a typo more often than not.</summary>
    private async Task WarnOfLookalikesAsync(NameKind kind, IReadOnlyList<string> typed, string field, string noun, CancellationToken cancellationToken)
    {
        foreach (var (name, stored) in await names.LookalikesAsync(kind, typed, cancellationToken))
        {
            ModelState.AddModelError(field, $"'{name}' would be a new {noun}, but '{stored}' exists: correct it, or tick \"Create the new names as typed\".");
        }
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken, int status = StatusCodes.Status200OK)
    {
        if (Id is { } id && await articles.GetFormAsync(id, cancellationToken) is { } stored)
        {
            Slug ??= stored.Slug;
            SavedStatus = ArticleVisibility.Effective(stored.Form.Status, stored.Form.PublishAtUtc, clock.GetUtcNow().UtcDateTime);
            PreviewPath = SavedStatus == ArticleStatus.Published ? null : previews.PathFor(id, stored.Slug);
        }

        ThreadNames = [.. (await threads.ActiveAsync(null, ThreadService.PageSize, cancellationToken: cancellationToken)).Select(t => t.Name)];
        Response.StatusCode = status;
        return Page();
    }
}
