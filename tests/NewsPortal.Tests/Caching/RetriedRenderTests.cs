using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Data;

namespace NewsPortal.Tests.Caching;

/// <summary>
/// A read whose render was cancelled under a reader who is still there is answered again (see
/// <see cref="SharedRenderTests"/>); a write is never run a second time, whatever cancelled it.
/// </summary>
public sealed class RetriedRenderTests(RetriedRenderTests.Factory factory) : IClassFixture<RetriedRenderTests.Factory>
{
    [Fact]
    public async Task AReadCancelledUnderAReaderStillThere_IsAnsweredAgain()
    {
        var calls = factory.Cancel.Next("FROM \"ArticleCategories\"");

        using var page = await factory.CreatePlainClient().GetAsync("/categories/snippets");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(Seed.Title, await page.Content.ReadAsStringAsync());
        Assert.True(calls.Value > 1, "the cancelled render was answered as it was, not rendered again");
    }

    [Fact]
    public async Task AWriteCancelledUnderAnEditorStillThere_IsNotRunAgain()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var calls = factory.Cancel.Next("INSERT INTO \"Articles\"");

        using var save = await editor.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
        {
            ["Form.Title"] = "A story saved once",
            ["Form.Body"] = "The first paragraph.",
            ["Form.PublishedOn"] = "2026-03-01",
            ["Form.DocumentDate"] = "2026-03-01T09:30:00",
            ["Form.Language"] = "en",
            ["Form.Categories"] = "Politics",
            ["Form.Status"] = "Published",
        }, "#article-form");
        using var story = await factory.CreatePlainClient().GetAsync("/articles/a-story-saved-once");

        Assert.Equal(1, calls.Value);
        Assert.NotEqual(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, story.StatusCode);
    }

    public sealed class Factory : EditorialFactory
    {
        public CancelOnce Cancel { get; } = new();

        protected override bool KeepsTestExecutionContext => true;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Cache:Enabled", "false");
            builder.ConfigureTestServices(services => services
                .ConfigureDbContext<NewsDbContext>(options => options.AddInterceptors(Cancel))
                .ConfigureDbContext<PostgresNewsDbContext>(options => options.AddInterceptors(Cancel)));
        }
    }

    /// <summary>
    /// From the test's own flow after <see cref="Next"/>: counts the commands containing a text, and cancels the first
    /// of them with a token that is not the request's, as a render shared with a reader who has gone is cancelled.
    /// </summary>
    public sealed class CancelOnce : DbCommandInterceptor
    {
        private readonly AsyncLocal<(string Text, System.Runtime.CompilerServices.StrongBox<int> Calls)?> _armed = new();

        public System.Runtime.CompilerServices.StrongBox<int> Next(string text)
        {
            var calls = new System.Runtime.CompilerServices.StrongBox<int>(0);
            _armed.Value = (text, calls);
            return calls;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Count(DbCommand command)
        {
            if (_armed.Value is { } armed && command.CommandText.Contains(armed.Text, StringComparison.Ordinal)
                && Interlocked.Increment(ref armed.Calls.Value) == 1)
            {
                using var elsewhere = new CancellationTokenSource();
                elsewhere.Cancel();
                throw new OperationCanceledException("Cancelled with another reader's render.", elsewhere.Token);
            }
        }
    }
}
