using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Shared;
using Serilog.Events;

namespace NewsPortal.Tests.Cli;

/// <summary>What the real binary writes to its console, as an operator configures it.</summary>
public sealed class LoggingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Theory]
    [InlineData("Information", true)]
    [InlineData("Warning", false)]
    public async Task RequestLogs_FollowTheConfiguredLevel(string level, bool logged)
    {
        var output = await RunSiteAsync(level, "/sources");

        Assert.True(output.Contains("HTTP GET /sources responded 200", StringComparison.Ordinal) == logged, output);
    }

    [Fact]
    public void ARequestWhoseClientWentAway_IsNotLoggedAsAServerError_NorA503ThePortalAnswered()
    {
        using var gone = new CancellationTokenSource();
        gone.Cancel();
        var abandoned = new DefaultHttpContext { RequestAborted = gone.Token };
        var failedOnItsOwn = new DefaultHttpContext();
        var answered503 = new DefaultHttpContext();
        answered503.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        var answered500 = new DefaultHttpContext();
        answered500.Response.StatusCode = StatusCodes.Status500InternalServerError;

        Assert.Equal(LogEventLevel.Debug, RequestLogLevel.For(abandoned, 12, new OperationCanceledException()));
        Assert.Equal(LogEventLevel.Error, RequestLogLevel.For(failedOnItsOwn, 12, new OperationCanceledException()));
        Assert.Equal(LogEventLevel.Error, RequestLogLevel.For(abandoned, 12, new InvalidOperationException()));
        // A 503 the portal answered itself (a time limit kept, a store that did not answer) is a warning; a 500 is not.
        Assert.Equal(LogEventLevel.Warning, RequestLogLevel.For(answered503, 12, null));
        Assert.Equal(LogEventLevel.Error, RequestLogLevel.For(answered503, 12, new InvalidOperationException()));
        Assert.Equal(LogEventLevel.Error, RequestLogLevel.For(answered500, 12, null));
        Assert.Equal(LogEventLevel.Information, RequestLogLevel.For(new DefaultHttpContext(), 12, null));
    }

    /// <summary>Starts the site, requests <paramref name="path"/> and stops it with SIGTERM; returns what it wrote.</summary>
    private async Task<string> RunSiteAsync(string level, string path)
    {
        var address = new Uri($"http://127.0.0.1:{PortalCommand.FreePort()}");
        var output = new StringBuilder();
        using var server = PortalCommand.StartSite(Path.Combine(_folder.Path, $"{level}.db"), address,
            new Dictionary<string, string> { ["Serilog__MinimumLevel__Default"] = level }, Append);
        try
        {
            using var client = new HttpClient { BaseAddress = address };
            await PortalCommand.WaitUntilAnsweringAsync(client, server);
            using var response = await client.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            await PortalCommand.TerminateAsync(server);
            await server.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        }

        lock (output)
        {
            return output.ToString();
        }

        void Append(string? line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
