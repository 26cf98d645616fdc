using System.Data.Common;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Data;

namespace NewsPortal.Tests.Caching;

/// <summary>
/// The output cache renders a page once for all the readers asking for it at that moment: a reader who goes away while
/// it renders must not take the page away from the others.
/// </summary>
public sealed class SharedRenderTests(SharedRenderTests.Factory factory) : IClassFixture<SharedRenderTests.Factory>
{
    [Fact]
    public async Task AReaderLeavingWhileThePageRenders_LeavesTheReadersWaitingOnItTheirPage()
    {
        var client = factory.CreateClient();
        using var leaving = new CancellationTokenSource();
        var held = factory.Hold.Next();

        // The first reader's render is held at its first query; the second asks for the same page meanwhile and waits on it.
        var first = client.GetAsync("/categories/english", leaving.Token);
        await held.WaitAsync(TimeSpan.FromSeconds(30));
        var second = client.GetAsync("/categories/english");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await leaving.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        using var page = await second;
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(Seed.Title, await page.Content.ReadAsStringAsync());
    }

    public sealed class Factory : NewsPortalFactory
    {
        public HeldCommand Hold { get; } = new();

        protected override bool KeepsTestExecutionContext => true;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services
                .ConfigureDbContext<NewsDbContext>(options => options.AddInterceptors(Hold))
                .ConfigureDbContext<PostgresNewsDbContext>(options => options.AddInterceptors(Hold)));
        }
    }

    /// <summary>
    /// Holds the first read of a category's stories sent from the test's own flow after <see cref="Next"/> (which the test
    /// server carries into the requests it starts) until that query's request is cancelled; background work is left alone.
    /// </summary>
    public sealed class HeldCommand : DbCommandInterceptor
    {
        private readonly AsyncLocal<StrongBox<TaskCompletionSource?>?> _armed = new();

        /// <summary>Arms the hold; the task completes when a query is being held.</summary>
        public Task Next()
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _armed.Value = new StrongBox<TaskCompletionSource?>(reached);
            return reached.Task;
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            // The category page's listing, not what runs before the cache (due stories are published first).
            if (_armed.Value is { } box && command.CommandText.Contains("FROM \"ArticleCategories\"", StringComparison.Ordinal)
                && Interlocked.Exchange(ref box.Value, null) is { } reached)
            {
                reached.SetResult();
                await Task.Delay(TimeSpan.FromMinutes(1), cancellationToken);
            }

            return result;
        }
    }
}
