using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Threads;

namespace NewsPortal.Web.Admin;

public sealed class EditModel(ArticleAdminService articles, NameAdminService names, ThreadService threads, TimeProvider clock) : PageModel
{
    [BindProperty]
    public ArticleForm Form { get; set; } = new();

    public int? Id { get; private set; }
    public string? Slug { get; private set; }
    public string? PreviewHtml { get; private set; }
    public string? Conflict { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public IReadOnlyList<string> CategoryNames { get; private set; } = [];
    public IReadOnlyList<string> SourceNames { get; private set; } = [];

    /// <summary>The most recently active threads, to pick from (a bounded list, not every thread ever).</summary>
    public IReadOnlyList<string> ThreadNames { get; private set; } = [];

    private string Editor => User.Identity!.Name!;

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken cancellationToken)
    {
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
        }
        else
        {
            Form = new ArticleForm { PublishedOn = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime) };
        }

        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(int? id, CancellationToken cancellationToken)
    {
        Id = id;
        if (!ModelState.IsValid)
        {
            PreviewHtml = articles.Preview(Form);
            return await ShowAsync(cancellationToken, StatusCodes.Status422UnprocessableEntity);
        }

        SaveResult? result = id is { } existing
            ? await articles.UpdateAsync(existing, Form, Editor, cancellationToken: cancellationToken)
            : await articles.CreateAsync(Form, Editor, cancellationToken);
        if (result is null)
        {
            return NotFound();
        }

        if (!result.Saved)
        {
            Conflict = result.Conflict;
            Slug = result.Slug;
            PreviewHtml = articles.Preview(Form);
            return await ShowAsync(cancellationToken, StatusCodes.Status409Conflict);
        }

        Message = "Saved.";
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

    public Task<IActionResult> OnPostPublishAsync(int id, int version, CancellationToken cancellationToken)
        => ChangeStatusAsync(id, ArticleStatus.Published, version, "Published.", cancellationToken);

    public Task<IActionResult> OnPostUnpublishAsync(int id, int version, CancellationToken cancellationToken)
        => ChangeStatusAsync(id, ArticleStatus.Unpublished, version, "Unpublished.", cancellationToken);

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken)
    {
        if (!await articles.DeleteAsync(id, Editor, cancellationToken))
        {
            return NotFound();
        }

        TempData["Deleted"] = id;
        return Redirect("/admin");
    }

    private async Task<IActionResult> ChangeStatusAsync(int id, ArticleStatus status, int version, string message, CancellationToken cancellationToken)
    {
        var result = await articles.SetStatusAsync(id, status, version, Editor, cancellationToken);
        if (result is null)
        {
            return NotFound();
        }

        Message = result.Saved ? message : result.Conflict;
        return RedirectToPage(new { id });
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken, int status = StatusCodes.Status200OK)
    {
        if (Id is { } id && Slug is null)
        {
            Slug = (await articles.GetFormAsync(id, cancellationToken))?.Slug;
        }

        CategoryNames = [.. (await names.ListAsync(NameKind.Category, cancellationToken)).Select(n => n.Name)];
        SourceNames = [.. (await names.ListAsync(NameKind.Source, cancellationToken)).Select(n => n.Name)];
        ThreadNames = [.. (await threads.ActiveAsync(null, ThreadService.PageSize, cancellationToken)).Select(t => t.Name)];
        Response.StatusCode = status;
        return Page();
    }
}
