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
    public ImportReport? Report => Job?.Report;
    public bool DryRun { get; private set; } = true;

    public IActionResult OnGet(Guid? job)
    {
        if (job is { } id)
        {
            // Each person sees only their own imports.
            Job = jobs.Find(id);
            if (Job is null || Job.StartedBy != User.Identity!.Name)
            {
                return NotFound();
            }

            DryRun = Job.DryRun;
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

        var uploads = new List<(string Name, byte[] Content)>(files.Count);
        foreach (var file in files)
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            uploads.Add((Path.GetFileName(file.FileName), buffer.ToArray()));
        }

        var job = jobs.Start(uploads, dryRun, User.Identity!.Name!);
        return RedirectToPage(new { job = job.Id });
    }
}
