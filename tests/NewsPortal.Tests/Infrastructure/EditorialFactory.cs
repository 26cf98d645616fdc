using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Infrastructure;

/// <summary>The app with a clock the tests move, the seed loaded, and helpers to sign in with a given role.</summary>
public class EditorialFactory : NewsPortalFactory
{
    public const string Password = "correct-horse-battery";

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    protected virtual int SignInAttemptsPerMinute => 10_000;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Security:SignInAttemptsPerMinute", SignInAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Creates a user with <paramref name="role"/> (or none) and returns their email.</summary>
    public async Task<string> CreateUserAsync(string? role, string? email = null)
    {
        email ??= $"{role?.ToLowerInvariant() ?? "reader"}-{Guid.NewGuid():N}@example.org";
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        if (role is not null)
        {
            await scope.ServiceProvider.GetRequiredService<UserService>().EnsureRolesAsync();
            await users.AddToRoleAsync(user, role);
        }

        return email;
    }

    /// <summary>
    /// Turns on two-step sign-in for <paramref name="email"/> as its page would (a new key, then the app's code for it),
    /// and returns the key its app holds and the recovery codes it was shown.
    /// </summary>
    public async Task<(string Key, IReadOnlyList<string> RecoveryCodes)> TurnOnTwoStepAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var twoStep = scope.ServiceProvider.GetRequiredService<TwoStepSignIn>();
        var id = (await users.FindByEmailAsync(email))!.Id;
        Assert.Empty(await twoStep.NewKeyAsync(id, CancellationToken.None));
        var key = (await users.GetAuthenticatorKeyAsync((await users.FindByIdAsync(id))!))!;
        var (problems, codes) = await twoStep.TurnOnAsync(id, Shared.AuthenticatorApp.Code(key), CancellationToken.None);
        Assert.Empty(problems);
        return (key, codes);
    }

    /// <summary>What the store holds for the account's own token <paramref name="name"/> (its recovery codes, its authenticator key).</summary>
    public Task<string> StoredTokenAsync(string email, string name) => WithDbAsync(db => db.UserTokens
        .Where(t => t.UserId == db.Users.Single(u => u.Email == email).Id && t.LoginProvider == PortalUserStore.OwnTokens && t.Name == name)
        .Select(t => t.Value!).SingleAsync());

    /// <summary>Stores <paramref name="value"/> as the account's own token <paramref name="name"/>, as another version or site might have.</summary>
    public Task StoreTokenAsync(string email, string name, string value) => WithDbAsync(db => db.UserTokens
        .Where(t => t.UserId == db.Users.Single(u => u.Email == email).Id && t.LoginProvider == PortalUserStore.OwnTokens && t.Name == name)
        .ExecuteUpdateAsync(t => t.SetProperty(x => x.Value, value)));

    /// <summary>A client signed in through the real login form; redirects are not followed so tests can see them.</summary>
    public async Task<HttpClient> SignedInClientAsync(string? role)
    {
        var email = await CreateUserAsync(role);
        var client = CreatePlainClient();
        using var response = await client.SignInAsync(email, Password);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }
}

public static class SignIn
{
    /// <summary>Signs in through the form; a browser signed in already signs out first, the one thing its sign-in page offers.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password, string? returnUrl = null)
    {
        using (var page = await client.GetAsync("/account/login"))
        {
            if (page.IsSuccessStatusCode && (await page.ReadDocumentAsync()).QuerySelector("input[name='Input.Email']") is null)
            {
                (await client.SubmitFormAsync("/account/login", new Dictionary<string, string?>())).Dispose();
            }
        }

        return await client.SubmitFormAsync(
            "/account/login" + (returnUrl is null ? "" : $"?ReturnUrl={Uri.EscapeDataString(returnUrl)}"),
            new Dictionary<string, string?> { ["Input.Email"] = email, ["Input.Password"] = password });
    }
}

/// <summary>Another node on a store (and Redis) another factory made: what one node writes, this one reads.</summary>
public sealed class OtherNodeFactory(TestStore store) : EditorialFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in store.Settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
