using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace NewsPortal.Web.Articles;

/// <summary>
/// Signed links that show a story not yet public (a draft, a scheduled or unpublished one) on its real page, for an
/// editor to check or send to a colleague: <c>/articles/{slug}?preview={token}</c>. The token names the story and an
/// expiry, signed with the Data Protection key ring (shared by every node), so it cannot be made up or moved to
/// another story.
/// </summary>
public sealed class PreviewLinks(IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private readonly IDataProtector _protector = protection.CreateProtector("NewsPortal.Articles.Preview");

    public string PathFor(int articleId, string slug)
        => $"/articles/{slug}?preview={_protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{articleId}|{(clock.GetUtcNow() + Lifetime).UtcTicks}"))}";

    /// <summary>Whether <paramref name="token"/> is a preview of this story that has not expired.</summary>
    public bool Allows(string? token, int articleId)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1000)
        {
            return false;
        }

        try
        {
            var parts = _protector.Unprotect(token).Split('|');
            return parts.Length == 2
                && parts[0] == articleId.ToString(CultureInfo.InvariantCulture)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
                && expires > clock.GetUtcNow().UtcTicks;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
