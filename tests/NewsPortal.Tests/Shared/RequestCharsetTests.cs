using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Shared;

/// <summary>
/// A request whose Content-Type names a character set: read when the portal can read it (quoted too, as HTTP allows),
/// refused with a 415 naming it when not, on the API and on pages, never a 500.
/// </summary>
public sealed class RequestCharsetTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private const string Article = """{"title":"Talks resume in Istanbul","body":"Talks resumed.","publishedOn":"2026-03-01"}""";

    /// <summary>The charset as sent, and its name as the message shows it.</summary>
    public static TheoryData<string, string> Unreadable() => new()
    {
        { "utf-7", "utf-7" },
        { "no-such-charset", "no-such-charset" },
        { "\"\"", "" },
        { "'utf-8'", "'utf-8'" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task AnArticleSentInACharsetThePortalCannotRead_Is415NamingIt(string charset, string name)
    {
        var api = await factory.TokenClientAsync(Roles.Editor);

        using var response = await api.PostAsync("/api/v1/articles", Body(Article, $"application/json; charset={charset}"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains($"names the character set '{name}', which the portal cannot read", detail);
    }

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task AFormInACharsetThePortalCannotRead_Is415NamingIt_OnThePageItWasSentTo(string charset, string name)
    {
        using var client = factory.CreatePlainClient();
        var fields = await SignInFieldsAsync(client);

        using var response = await client.PostAsync("/account/login", Body(fields, $"application/x-www-form-urlencoded; charset={charset}"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains($"names the character set '{name}', which the portal cannot read", (await response.ReadDocumentAsync()).TextOf("main p"));
    }

    [Fact]
    public async Task AReaderWhoseBrowserSendsAFormTypeInUtf7_WithAGet_Gets415_NotAnError()
    {
        // Pages bind a form whatever the method: the form reader's refusal of UTF-7 was a 500 on the home page.
        using var client = factory.CreatePlainClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/search?q=talks") { Content = Body("", "application/x-www-form-urlencoded; charset=utf-7") };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("names the character set 'utf-7'", (await response.ReadDocumentAsync()).TextOf("main p"));
    }

    [Theory]
    [InlineData("POST", "/account/login")]
    [InlineData("GET", "/search?q=talks")]
    public async Task AFormPartInUtf7_Is415NamingIt_NotAnError(string method, string url)
    {
        // Found only as the form is read: the charset is a part's own, inside the body.
        using var client = factory.CreatePlainClient();
        var fields = await SignInFieldsAsync(client);
        var token = Uri.UnescapeDataString(fields.Split('&').Single(f => f.StartsWith("__RequestVerificationToken=", StringComparison.Ordinal)).Split('=')[1]);
        var body = "--b\r\nContent-Disposition: form-data; name=\"__RequestVerificationToken\"\r\n\r\n" + token + "\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"Input.Email\"\r\nContent-Type: text/plain; charset=utf-7\r\n\r\neditor@example.org\r\n--b--\r\n";
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = Body(body, "multipart/form-data; boundary=b") };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("A part of the form names a character set the portal cannot read (UTF-7).", (await response.ReadDocumentAsync()).TextOf("main p"));
    }

    [Fact]
    public async Task AQuotedCharset_IsRead_ByTheApiAndByForms()
    {
        var api = await factory.TokenClientAsync(Roles.Editor);
        using var created = await api.PostAsync("/api/v1/articles", Body(Article, "application/json; charset=\"utf-8\""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var email = await factory.CreateUserAsync(Roles.Editor);
        using var client = factory.CreatePlainClient();
        var fields = (await SignInFieldsAsync(client)).Replace("Input.Email=", $"Input.Email={Uri.EscapeDataString(email)}", StringComparison.Ordinal)
            .Replace("Input.Password=", $"Input.Password={Uri.EscapeDataString(EditorialFactory.Password)}", StringComparison.Ordinal);
        using var signedIn = await client.PostAsync("/account/login", Body(fields, "application/x-www-form-urlencoded; charset=\"UTF-8\""));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    /// <summary>The sign-in form's fields (its antiforgery token among them), URL-encoded.</summary>
    private static async Task<string> SignInFieldsAsync(HttpClient client)
    {
        var page = await client.GetDocumentAsync("/account/login");
        var fields = Forms.FieldsOf((IHtmlFormElement)page.QuerySelector("main form[method=post]")!);
        return string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value ?? "")}"));
    }

    /// <summary>A body with exactly <paramref name="contentType"/>, which the client's own parser would refuse or rewrite.</summary>
    private static StringContent Body(string text, string contentType)
    {
        var content = new StringContent(text);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }
}
