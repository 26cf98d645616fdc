using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// Browsers an account has signed in from before, remembered by a cookie the site signs (a "device cookie", as OWASP
/// describes them). Five wrong passwords lock an account against everyone else, but not against the browsers its
/// owner uses: whoever floods the form with guesses cannot keep an editor out. A device's own attempts are limited
/// on their own (<see cref="SignInAttempts"/>), and a password reset or a disabled account forgets every device.
/// </summary>
public sealed class KnownDevices(IDataProtectionProvider protection, IConfiguration configuration, TimeProvider clock)
{
    public const string CookieName = "newsportal.device";

    /// <summary>How long a browser stays known without signing in again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(180);

    private readonly IDataProtector _protector = protection.CreateProtector("NewsPortal.KnownDevices.v1");

    /// <summary>The device this request's cookie names, when it was given to <paramref name="user"/> as the account is now; else null.</summary>
    public string? DeviceOf(HttpRequest request, PortalUser user)
    {
        if (request.Cookies[CookieName] is not { Length: > 0 and < 1_000 } cookie)
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(cookie).Split('\n') is [var userId, var stamp, var device, var expires]
                && long.TryParse(expires, CultureInfo.InvariantCulture, out var expiresAt) && expiresAt > clock.GetUtcNow().ToUnixTimeSeconds()
                && userId == user.Id && stamp == StampOf(user) ? device : null;
        }
        catch (CryptographicException)
        {
            // Made up, from another site's keys, or from keys since retired: an unknown browser.
            return null;
        }
    }

    /// <summary>Remembers this browser for <paramref name="user"/>, after a successful sign-in.</summary>
    public void Remember(HttpContext context, PortalUser user, string? device)
    {
        device ??= Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var expires = clock.GetUtcNow() + Lifetime;
        var value = _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{user.Id}\n{StampOf(user)}\n{device}\n{expires.ToUnixTimeSeconds()}"));
        context.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps || Shared.PortalOptions.ServedOverHttps(configuration),
            SameSite = SameSiteMode.Strict,
            Path = "/account",
            MaxAge = Lifetime,
            IsEssential = true,
        });
    }

    /// <summary>
    /// A digest of the security stamp, which a password reset or disabling changes: the devices known before are
    /// then unknown. (The stamp itself stays out of the cookie.)
    /// </summary>
    private static string StampOf(PortalUser user)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(user.SecurityStamp ?? "")))[..16];
}
