using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Audit;

public sealed record AuditRow(DateTime AtUtc, string User, string Action, string Subject, string? Details);

/// <summary>Records who did what and when; admins read it at /admin/audit.</summary>
public sealed class AuditLog(NewsDbContext db, TimeProvider clock, ILogger<AuditLog> logger)
{
    /// <summary>Adds an entry to the unit of work; it is saved with the change it describes.</summary>
    public void Add(string user, string action, string subject, string? details = null)
    {
        db.AuditLog.Add(new AuditEntry
        {
            AtUtc = clock.GetUtcNow().UtcDateTime,
            User = Truncate(user, 256),
            Action = action,
            Subject = Truncate(subject, 400),
            Details = details is null ? null : Truncate(details, 4000),
        });
        logger.LogInformation("Audit: {User} {Action} {Subject}", user, action, subject);
    }

    /// <summary>Records an entry on its own (sign-ins, imports), saved at once.</summary>
    public async Task RecordAsync(string user, string action, string subject, string? details = null, CancellationToken cancellationToken = default)
    {
        Add(user, action, subject, details);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<PagedList<AuditRow>> ListAsync(long page, string? user, string? action, CancellationToken cancellationToken = default)
    {
        const int PageSize = 50;
        var entries = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(user))
        {
            entries = entries.Where(e => e.User == user);
        }

        if (!string.IsNullOrWhiteSpace(action))
        {
            entries = entries.Where(e => e.Action == action);
        }

        var total = await entries.CountAsync(cancellationToken);
        var number = PageNumber.Clamp(page, total, PageSize);
        var rows = await entries.OrderByDescending(e => e.Id)
            .Skip((number - 1) * PageSize).Take(PageSize)
            .Select(e => new AuditRow(e.AtUtc, e.User, e.Action, e.Subject, e.Details))
            .ToListAsync(cancellationToken);
        return new PagedList<AuditRow>(rows, number, PageSize, total);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
