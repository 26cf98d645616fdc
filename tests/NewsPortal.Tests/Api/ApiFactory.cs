using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Api;

namespace NewsPortal.Tests.Api;

public static class ApiClients
{
    /// <summary>A client carrying a fresh personal token for a new user with <paramref name="role"/> (or none).</summary>
    public static async Task<HttpClient> TokenClientAsync(this EditorialFactory factory, string? role)
    {
        var client = factory.CreatePlainClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await factory.TokenAsync(role));
        return client;
    }

    /// <summary>Posts <paramref name="jsonLines"/> to the import API as JSON Lines.</summary>
    public static Task<HttpResponseMessage> ImportJsonLinesAsync(this HttpClient client, string jsonLines)
        => client.PostAsync("/api/v1/import", new StringContent(jsonLines, System.Text.Encoding.UTF8, "application/x-ndjson"));

    /// <summary>A fresh personal token for a new user with <paramref name="role"/> (or none).</summary>
    public static async Task<string> TokenAsync(this EditorialFactory factory, string? role)
    {
        var email = await factory.CreateUserAsync(role);
        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
        return (await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(user!.Id, email, "tests"))!;
    }
}
