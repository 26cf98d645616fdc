using Microsoft.AspNetCore.Identity;

namespace NewsPortal.Web.Accounts;

/// <summary>An editor or admin. Disabled users are locked out until an admin enables them again.</summary>
public class PortalUser : IdentityUser
{
    public DateTime CreatedAtUtc { get; set; }
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Editor = "Editor";

    public static readonly string[] All = [Admin, Editor];
}

public static class Policies
{
    /// <summary>Editors and admins: the whole /admin area.</summary>
    public const string Editorial = "Editorial";

    /// <summary>Admins only: users, the audit log, restoring deleted articles.</summary>
    public const string AdminOnly = "AdminOnly";
}
