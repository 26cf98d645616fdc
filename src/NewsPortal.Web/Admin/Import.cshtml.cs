using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Import;

namespace NewsPortal.Web.Admin;

// Uploads up to 200 MB in all; each file is still held to Import:MaxFileBytes.
[RequestSizeLimit(200L * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 200L * 1024 * 1024)]
public sealed class ImportModel(ImportJobs jobs) : PageModel
{
    public ImportJob? Job { get; private set; }

    // Read once: the import finishes on another thread, and the page's body is rendered before its head, so reading
    // the job twice could show a running import without the refresh that would bring its report.
    public ImportReport? Report { get; private set; }
    public string? Failure { get; private set; }
    public bool Running => Job is not null && Report is null && Failure is null;
    public bool DryRun { get; private set; } = true;

    /// <summary>A finished dry run whose files are still kept: the page offers to import them for real.</summary>
    public bool CanConfirm => Job is { DryRun: true, Claimed: false } && Report is not null;

    public IActionResult OnGet(Guid? job)
    {
        if (job is { } id)
        {
            // Each person sees only their own imports.
            Job = jobs.Find(id);
            if (Job is null || Job.StartedBy != User.Identity!.Name)
            {
                // Jobs are kept in memory (and Redis): one from before a restart is gone with it.
                Shared.ErrorModel.Explain(HttpContext, "No import of yours with this number is known: it may be from before the site restarted. What it imported is in the editors' list.");
                return NotFound();
            }

            DryRun = Job.DryRun;
            Read(Job);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(List<IFormFile> files, bool dryRun, CancellationToken cancellationToken)
    {
        DryRun = dryRun;
        if (files.Count == 0)
        {
            ModelState.AddModelError(string.Empty, "Choose at least one file to import.");
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var upload = await jobs.SaveAsync(files, cancellationToken);
        var job = jobs.Start(upload, dryRun, User.Identity!.Name!);
        return RedirectToPage(new { job = job.Id });
    }

    /// <summary>"Import for real" after a dry run: the same files, without choosing them again.</summary>
    public async Task<IActionResult> OnPostConfirmAsync(Guid job, CancellationToken cancellationToken)
    {
        var (started, refusal) = await jobs.ConfirmAsync(job, User.Identity!.Name!, cancellationToken);
        if (started is not null)
        {
            return RedirectToPage(new { job = started.Id });
        }

        Job = jobs.Find(job) is { } known && known.StartedBy == User.Identity!.Name ? known : null;
        if (Job is not null)
        {
            Read(Job);
        }

        ModelState.AddModelError(string.Empty, refusal!);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private void Read(ImportJob job)
    {
        Failure = job.Failure;
        Report = job.Report;
    }
}
