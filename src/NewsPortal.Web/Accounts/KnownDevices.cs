using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// Browsers an account has signed in from before, remembered by a cookie the site signs (a "device cookie", as OWASP
/// describes them). Five wrong passwords lock an account against everyone else, but not against the browsers its
/// owner uses: whoever floods the form with guesses cannot keep an editor out. A device's own attempts are limited
/// on their own (<see cref="SignInAttempts"/>), a password reset or a disabled account forgets every device, and a
/// browser signed out from another one (<see cref="BrowserSessions.SignOutAsync"/>) is forgotten alone. The cookie also
/// says when the browser last took the account's second step, if its editor asked to be remembered for it.
/// </summary>
public sealed class KnownDevices(IDataProtectionProvider protection, IConfiguration configuration, TimeProvider clock, TwoStepRule rule, Data.NewsDbContext db)
{
    public const string CookieName = "newsportal.device";

    /// <summary>The claim a sign-in hands its session with the device it is on, for the session's row to keep (<see cref="BrowserSessions"/>).</summary>
    public const string Claim = "newsportal:device";

    /// <summary>A device id's length: 16 random bytes in hex.</summary>
    public const int DeviceLength = 32;

    /// <summary>How long a browser stays known without signing in again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(180);

    private readonly IDataProtector _protector = protection.CreateProtector("NewsPortal.KnownDevices.v1");

    /// <summary>A device cookie's content: the device, and when this browser last took the account's second step and was asked to be remembered for it (0: not).</summary>
    private sealed record Known(string Device, long SecondStepAt);

    /// <summary>The device this request's cookie names, when it was given to <paramref name="user"/> as the account is now; else null.</summary>
    public async Task<string?> DeviceOfAsync(HttpRequest request, PortalUser user) => (await ReadAsync(request, user))?.Device;

    /// <summary>
    /// Whether this browser took <paramref name="user"/>'s second step within the time the site remembers it for
    /// (<see cref="TwoStepRule.RememberBrowserFor"/>, as set now), its editor asking to be remembered, with nothing about
    /// the account changed since: a new password, or the second step set up, turned off or reset, asks again.
    /// </summary>
    public async Task<bool> TookSecondStepAsync(HttpRequest request, PortalUser user)
        => await ReadAsync(request, user) is { SecondStepAt: > 0 } known
            && clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(known.SecondStepAt) < rule.RememberBrowserFor;

    /// <summary>
    /// Remembers this browser for <paramref name="user"/>, after a successful sign-in; <paramref name="secondStepNow"/>:
    /// it has just taken the account's second step, and is to be remembered for it. Otherwise a second step it took
    /// before is kept, not renewed. Returns the device, for the session to keep.
    /// </summary>
    public async Task<string> RememberAsync(HttpContext context, PortalUser user, string? device, bool secondStepNow = false)
    {
        var known = await ReadAsync(context.Request, user);
        device ??= known?.Device ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(DeviceLength / 2));
        var now = clock.GetUtcNow();
        var secondStepAt = secondStepNow && rule.RememberBrowserFor > TimeSpan.Zero ? now.ToUnixTimeSeconds() : known?.SecondStepAt ?? 0;
        var expires = now + Lifetime;
        var value = _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{user.Id}\n{StampOf(user)}\n{device}\n{expires.ToUnixTimeSeconds()}\n{secondStepAt}"));
        context.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps || Shared.PortalOptions.ServedOverHttps(configuration),
            SameSite = SameSiteMode.Strict,
            Path = "/account",
            MaxAge = Lifetime,
            IsEssential = true,
        });
        return device;
    }

    /// <summary>The cookie as read for this account as it is now; a sign-in asks up to three times and decrypts it once.</summary>
    private async Task<Known?> ReadAsync(HttpRequest request, PortalUser user)
    {
        var key = (typeof(Known), user.Id, StampOf(user));
        if (request.HttpContext.Items.TryGetValue(key, out var read))
        {
            return (Known?)read;
        }

        var known = Decrypt(request, user);
        if (known is not null && await db.ForgottenDevices.AnyAsync(f => f.UserId == user.Id && f.Device == known.Device, request.HttpContext.RequestAborted))
        {
            known = null;
        }

        request.HttpContext.Items[key] = known;
        return known;
    }

    private Known? Decrypt(HttpRequest request, PortalUser user)
    {
        if (request.Cookies[CookieName] is not { Length: > 0 and < 1_000 } cookie)
        {
            return null;
        }

        try
        {
            // Cookies given before the second step was remembered have four fields.
            var fields = _protector.Unprotect(cookie).Split('\n');
            if (fields is not [var userId, var stamp, var device, var expires, ..] || fields.Length > 5
                || !long.TryParse(expires, CultureInfo.InvariantCulture, out var expiresAt) || expiresAt <= clock.GetUtcNow().ToUnixTimeSeconds()
                || userId != user.Id || stamp != StampOf(user))
            {
                return null;
            }

            return new Known(device, fields.Length == 5 && long.TryParse(fields[4], CultureInfo.InvariantCulture, out var at) ? at : 0);
        }
        catch (CryptographicException)
        {
            // Made up, from another site's keys, or from keys since retired: an unknown browser.
            return null;
        }
    }

    /// <summary>
    /// A digest of the security stamp, which a password reset or disabling changes: the devices known before are
    /// then unknown. (The stamp itself stays out of the cookie.)
    /// </summary>
    private static string StampOf(PortalUser user)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(user.SecurityStamp ?? "")))[..16];
}
