using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Admin;

/// <summary>An upload whose import stops with an error part-way: the editor is told, and the audit log keeps the attempt.</summary>
public sealed class ImportFailureTests(CommandHookFactory factory) : IClassFixture<CommandHookFactory>, IDisposable
{
    private readonly TempFolder _upload = new();

    public void Dispose() => _upload.Dispose();

    [Fact]
    public async Task AnUploadThatFails_IsInTheAuditLog_SayingItStopped()
    {
        var file = _upload.Write("pier.jsonl", """
            {"title":"Pier reopens after repairs","publishedOn":"2026-05-05","body":"Open again.","categories":["Pier News"]}
            """);
        _ = factory.Server; // started, and the seed imported, before the hook is set
        // The import's first read of the names fails, as a store that went away mid-import would.
        factory.Once("FROM \"CategoryAliases\"", () => throw new InvalidOperationException("The store went away."));
        var jobs = factory.Services.GetRequiredService<ImportJobs>();

        var job = jobs.Start(new ImportUpload(_upload.Path, [("pier.jsonl", file)], 1, DateTime.UtcNow), dryRun: false, "desk@example.org");
        for (var wait = 0; !job.Finished && wait < 300; wait++)
        {
            await Task.Delay(100);
        }

        Assert.StartsWith("The import stopped with an error", job.Failure);
        var audited = await factory.WithDbAsync(db => db.AuditLog.Where(e => e.Action == "import" && e.User == "desk@example.org")
            .Select(e => new { e.Subject, e.Details }).ToListAsync());
        var entry = Assert.Single(audited);
        Assert.Equal("pier.jsonl", entry.Subject);
        Assert.Equal("0 imported, 0 updated, 0 unchanged, 0 file(s) rejected; stopped by an error, the rest not imported", entry.Details);
    }
}
