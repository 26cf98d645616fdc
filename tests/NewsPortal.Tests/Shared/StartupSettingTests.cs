using Microsoft.AspNetCore.Hosting;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Shared;

/// <summary>A setting the site cannot work with stops it at start-up, naming the setting, instead of failing requests later.</summary>
public sealed class StartupSettingTests
{
    private sealed class SettingFactory(string key, string value) : NewsPortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting(key, value);
        }
    }

    [Theory]
    [InlineData("Api:RequestsPerMinute", "0", "Api:RequestsPerMinute must be a whole number from 1")]
    [InlineData("Api:TokenRequestsPerMinute", "-5", "Api:TokenRequestsPerMinute must be a whole number from 1")]
    [InlineData("Security:SignInAttemptsPerMinute", "0", "Security:SignInAttemptsPerMinute must be a whole number from 1")]
    [InlineData("Security:SignInAttemptsPerAccountPerMinute", "abc", "Security:SignInAttemptsPerAccountPerMinute must be a whole number from 1")]
    [InlineData("Portal:PublicBaseUrl", "https://news.example.org/news/", "Portal:PublicBaseUrl must be an http or https address with no path")]
    [InlineData("Database:Provider", "1", "Database:Provider is '1'; it must be Sqlite or Postgres")]
    public void ASettingTheSiteCannotWorkWith_StopsTheStart_NamingIt(string key, string value, string message)
    {
        using var factory = new SettingFactory(key, value);

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(message, error.ToString());
    }
}
