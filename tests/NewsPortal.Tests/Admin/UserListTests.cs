using Microsoft.AspNetCore.Hosting;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Admin;

public sealed class UserListFactory : EditorialFactory
{
    protected override bool KeepsTestExecutionContext => true;

    public SqlCapture Sql { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        Sql.RecordEveryRequest(builder);
    }
}

public sealed class UserListTests(UserListFactory factory) : IClassFixture<UserListFactory>
{
    [Fact]
    public async Task TheUsersPage_ListsEveryAccountWithItsRoles_InTheSameNumberOfQueries_HoweverManyThereAre()
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var before = await CountCommandsAsync(admin);

        var editors = new List<string>();
        var readers = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            editors.Add(await factory.CreateUserAsync(Roles.Editor));
            readers.Add(await factory.CreateUserAsync(null));
        }

        var after = await CountCommandsAsync(admin);
        var page = await admin.GetDocumentAsync("/admin/users");
        var rolesByEmail = page.QuerySelectorAll(".admin-table tbody tr")
            .ToDictionary(r => r.QuerySelector("td")!.TextContent, r => r.QuerySelectorAll("td")[1].TextContent);

        Assert.Equal(before, after);
        Assert.All(editors, email => Assert.Equal(Roles.Editor, rolesByEmail[email]));
        Assert.All(readers, email => Assert.Equal("", rolesByEmail[email]));
        Assert.Contains(Roles.Admin, rolesByEmail.Values);
    }

    private async Task<int> CountCommandsAsync(HttpClient admin)
    {
        using var capture = factory.Sql.Begin();
        using var response = await admin.GetAsync("/admin/users");
        response.EnsureSuccessStatusCode();
        return capture.Commands.Count;
    }
}
