using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// One browser signed in to an account, from its sign-in until it signs out, is signed out, or goes unused for
/// <see cref="BrowserSessions.Idle"/>. Its session cookie names it, and the session ends when its row goes.
/// </summary>
public class BrowserSession
{
    /// <summary>Random, and in the session cookie only (which the site's keys encrypt).</summary>
    public required string Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>The account's security stamp when this browser last signed in: a new one ends every other session, so a row with an older stamp is a session already over.</summary>
    public required string SecurityStamp { get; set; }

    /// <summary>The device its device cookie names (<see cref="KnownDevices"/>), forgotten when the session is signed out from another browser.</summary>
    public string? Device { get; set; }

    /// <summary>What the browser said it is, in a few words ("Firefox on Linux").</summary>
    public required string Browser { get; set; }

    /// <summary>The address it signed in from, as the site saw it (behind a proxy the site believes, the client's).</summary>
    public string? Address { get; set; }

    public DateTime SignedInAtUtc { get; set; }

    /// <summary>When it was last used, to within <see cref="BrowserSessions.TouchEvery"/>.</summary>
    public DateTime LastSeenAtUtc { get; set; }

    public PortalUser? User { get; set; }
}

public sealed class BrowserSessionConfiguration : IEntityTypeConfiguration<BrowserSession>
{
    public void Configure(EntityTypeBuilder<BrowserSession> builder)
    {
        builder.Property(s => s.Id).HasMaxLength(32);
        builder.Property(s => s.SecurityStamp).HasMaxLength(256);
        builder.Property(s => s.Device).HasMaxLength(KnownDevices.DeviceLength);
        builder.Property(s => s.Browser).HasMaxLength(BrowserSessions.MaxBrowserLength);
        builder.Property(s => s.Address).HasMaxLength(45);
        builder.HasIndex(s => new { s.UserId, s.LastSeenAtUtc });
        builder.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.SignedInAtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        builder.Property(s => s.LastSeenAtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
    }
}
