using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// A browser its account's owner signed out from another one: its device cookie, still valid to the site's keys, no
/// longer makes it a browser the account knows (<see cref="KnownDevices"/>), nor one remembered for the second step.
/// Kept as long as a device cookie lasts (<see cref="KnownDevices.Lifetime"/>): after that the cookie is gone anyway.
/// </summary>
public class ForgottenDevice
{
    public required string UserId { get; set; }

    /// <summary>The device id its cookie carries.</summary>
    public required string Device { get; set; }

    public DateTime ForgottenAtUtc { get; set; }

    public PortalUser? User { get; set; }
}

public sealed class ForgottenDeviceConfiguration : IEntityTypeConfiguration<ForgottenDevice>
{
    public void Configure(EntityTypeBuilder<ForgottenDevice> builder)
    {
        builder.HasKey(f => new { f.UserId, f.Device });
        builder.Property(f => f.Device).HasMaxLength(KnownDevices.DeviceLength);
        builder.HasOne(f => f.User).WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(f => f.ForgottenAtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
    }
}
