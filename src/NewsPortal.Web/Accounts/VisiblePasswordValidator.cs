using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// A password's length is counted in what a person sees and types: ten zero-width spaces met Identity's ten-character
/// rule, a password that looks empty and that no one could type from memory. Spaces, zero-width and other format
/// characters, and controls do not count; every other character (letters of any script, digits, symbols, emoji) does.
/// </summary>
public sealed class VisiblePasswordValidator(IOptions<IdentityOptions> options) : IPasswordValidator<PortalUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<PortalUser> manager, PortalUser user, string? password)
    {
        var required = options.Value.Password.RequiredLength;
        var visible = 0;
        var elements = StringInfo.GetTextElementEnumerator(password ?? "");
        while (elements.MoveNext())
        {
            var element = (string)elements.Current;
            if (!string.IsNullOrWhiteSpace(element) && element.EnumerateRunes().Any(r => Rune.GetUnicodeCategory(r) is not
                (UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.SpaceSeparator or UnicodeCategory.NonSpacingMark)))
            {
                visible++;
            }
        }

        return Task.FromResult(visible >= required ? IdentityResult.Success : IdentityResult.Failed(new IdentityError
        {
            Code = "PasswordTooFewVisibleCharacters",
            Description = $"Passwords must have at least {required} characters you can see (spaces and invisible characters do not count).",
        }));
    }
}
