using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using Serilog.Core;
using Serilog.Events;

namespace NewsPortal.Tests.Data;

/// <summary>A SQLite statement stopped because its request was cancelled is a cancelled request in the log, not a failure.</summary>
public sealed class StoppedStatementLogTests
{
    [SqliteTheory]
    [InlineData("Portal:RequestTimeoutSeconds")]
    [InlineData("Portal:SearchTimeoutSeconds")]
    public async Task ASearchStoppedAtATimeLimit_IsAWarning_NotAFailedStatementOrAnError(string limit)
    {
        var sink = new LogSink();
        using var factory = new EndlessSearchFactory(sink, limit);

        using var response = await factory.CreateClient().GetAsync("/search?q=istanbul");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(factory.Stopped, "The search's statement was not run to be stopped.");
        var logged = sink.AtLeast(LogEventLevel.Warning);
        Assert.DoesNotContain(logged, line => line.Contains("Failed executing DbCommand", StringComparison.Ordinal));
        Assert.DoesNotContain(logged, line => line.Contains("An exception occurred while iterating", StringComparison.Ordinal));
        // The request's own line still says what happened to it, as a warning: the portal kept a bound it was set, nothing
        // failed that an operator must mend (an error would page someone for every reader's too-common words).
        Assert.Contains(logged, line => line.Contains("/search", StringComparison.Ordinal) && line.Contains("503", StringComparison.Ordinal));
        Assert.Empty(sink.AtLeast(LogEventLevel.Error));
    }

    /// <summary>A store whose search statement never ends on its own, under a time limit of half a second.</summary>
    private sealed class EndlessSearchFactory(LogSink sink, string limit) : NewsPortalFactory
    {
        private readonly Endless _endless = new();

        /// <summary>Whether SQLite stopped the search's statement, as the request's cancellation asks.</summary>
        public bool Stopped => _endless.Stopped;

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting(limit, "0.5");
            builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(sink));
            builder.ConfigureTestServices(services => services
                .ConfigureDbContext<NewsPortal.Web.Data.NewsDbContext>(options => options.AddInterceptors(_endless)));
        }

        private sealed class Endless : DbCommandInterceptor
        {
            public bool Stopped { get; private set; }

            public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
                DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
            {
                if (command.CommandText.Contains("\"ArticleSearch\" MATCH", StringComparison.Ordinal))
                {
                    // Counts for ever, in SQLite itself, until sqlite3_interrupt stops it.
                    command.CommandText = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c";
                    command.Parameters.Clear();
                }

                return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
            }

            public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
            {
                Stopped |= NewsPortal.Web.Data.SqliteCancellation.IsInterruption(eventData.Exception);
                return base.CommandFailedAsync(command, eventData, cancellationToken);
            }
        }
    }
}
