using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Import;

namespace NewsPortal.Web.Admin;

// Uploads up to 200 MB in all; each file is still held to Import:MaxFileBytes.
[RequestSizeLimit(200L * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 200L * 1024 * 1024)]
public sealed class ImportModel(ImportService importer, AuditLog audit) : PageModel
{
    public ImportReport? Report { get; private set; }
    public bool DryRun { get; private set; } = true;

    public void OnGet()
    {
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

        var uploads = files.Select(f => (Name: Path.GetFileName(f.FileName), Open: (Func<Stream>)f.OpenReadStream)).ToList();
        Report = await importer.ImportStreamsAsync(uploads, dryRun, cancellationToken);
        if (!dryRun)
        {
            await audit.RecordAsync(User.Identity!.Name!, "import", string.Join(", ", uploads.Select(u => u.Name)),
                $"{Report.Imported} imported, {Report.Updated} updated, {Report.Unchanged} unchanged, {Report.RejectedFiles.Count} files rejected", cancellationToken);
        }

        return Page();
    }
}
