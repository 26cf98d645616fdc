using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace NewsPortal.Web.Accounts;

public sealed class LogoutModel(SignInManager<PortalUser> signIn, BrowserSessions sessions) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await sessions.EndAsync(User);
        await signIn.SignOutAsync();
        return LocalRedirect("/");
    }
}
