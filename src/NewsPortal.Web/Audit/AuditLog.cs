using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Audit;

public sealed record AuditRow(long Id, DateTime AtUtc, string User, string Action, string Subject, string? Details);

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

    /// <summary>Entries a page shows.</summary>
    public const int PageSize = 50;

    /// <summary>
    /// A page of the log, newest first, older than <paramref name="before"/> (an entry's id) when given, by one user or
    /// one action when asked: read from the (User, Id) or (Action, Id) index or the key, so page 10,000 of a log of
    /// millions costs what the first does, and nothing counts the whole log.
    /// </summary>
    public async Task<IReadOnlyList<AuditRow>> ListAsync(long? before, string? user, string? action, CancellationToken cancellationToken = default)
    {
        var entries = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(user))
        {
            entries = entries.Where(e => e.User == user);
        }

        if (!string.IsNullOrWhiteSpace(action))
        {
            entries = entries.Where(e => e.Action == action);
        }

        // The first page starts past the newest entry: one query for every page, a range of the key or an index.
        var position = before ?? long.MaxValue;
        return await entries.Where(e => e.Id < position).OrderByDescending(e => e.Id).Take(PageSize + 1)
            .Select(e => new AuditRow(e.Id, e.AtUtc, e.User, e.Action, e.Subject, e.Details))
            .ToListAsync(cancellationToken);
    }

    private static string Truncate(string value, int max) => Shared.Text.Cut(Shared.Text.Clean(value), max);
}
