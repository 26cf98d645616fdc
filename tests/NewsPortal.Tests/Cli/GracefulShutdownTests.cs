using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Cli;

/// <summary>The real binary, stopped with SIGTERM (as systemd, Docker and Kubernetes stop it) while requests are in flight.</summary>
public sealed class GracefulShutdownTests : IDisposable
{
    private const string Email = "shutdown.admin@example.org";
    private const string Password = "a long shutdown password";
    private const int Uploads = 3;
    private const int LinesPerUpload = 40;

    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task SigtermWhileImportsAndReadsAreInFlight_FinishesThemAll_ThenExitsCleanly()
    {
        var database = Path.Combine(_folder.Path, "shutdown.db");
        var port = PortalCommand.FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        using var server = Start(database, address);
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };
        await PortalCommand.WaitUntilAnsweringAsync(client, server);
        (await client.SignInAsync(Email, Password)).Dispose();
        using var made = await client.SubmitFormAsync("/admin/tokens", new Dictionary<string, string?> { ["name"] = "shutdown" }, "form[action*='handler=Create']");
        var token = (await made.ReadDocumentAsync()).QuerySelector("#new-token")!.TextContent;

        // Uploads that take a couple of seconds to send: all of them are mid-request when the signal comes.
        var started = new CountdownEvent(Uploads);
        var uploads = Enumerable.Range(0, Uploads).Select(i => Task.Run(async () =>
        {
            using var api = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
            api.DefaultRequestHeaders.Authorization = new("Bearer", token);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/import") { Content = new SlowLines(i, started) };
            request.Content.Headers.ContentType = new("application/x-ndjson");
            using var response = await api.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })).ToList();
        var readerFailures = new List<string>();
        using var stopReading = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            using var readers = new HttpClient { BaseAddress = address };
            while (!stopReading.IsCancellationRequested)
            {
                try
                {
                    using var response = await readers.GetAsync("/search?q=shutdown");
                    if ((int)response.StatusCode >= 500)
                    {
                        readerFailures.Add($"{(int)response.StatusCode}");
                    }
                }
                catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                {
                    // Stopped listening: new connections are refused, which a load balancer takes as "gone".
                    return;
                }
            }
        });

        Assert.True(started.Wait(TimeSpan.FromSeconds(30)), "the uploads did not start");
        await PortalCommand.TerminateAsync(server);

        var results = await Task.WhenAll(uploads);
        await stopReading.CancelAsync();
        await reader;
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await server.WaitForExitAsync(exit.Token);

        Assert.All(results, r => Assert.True(r.StatusCode == HttpStatusCode.OK, $"{r.StatusCode}: {r.Body}"));
        Assert.Empty(readerFailures);
        Assert.Equal(0, server.ExitCode);
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM \"Articles\" WHERE \"Title\" LIKE 'Sent during shutdown %'";
        Assert.Equal((long)Uploads * LinesPerUpload, (long)count.ExecuteScalar()!);
    }

    private static Process Start(string database, Uri address) => PortalCommand.StartSite(database, address, new Dictionary<string, string>
    {
        ["Admin__Email"] = Email,
        ["Admin__Password"] = Password,
        ["Serilog__MinimumLevel__Default"] = "Warning",
    }, _ => { });

    /// <summary>JSON Lines sent a line every 50 ms, so the request lasts about two seconds.</summary>
    private sealed class SlowLines(int upload, CountdownEvent started) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var line = 0; line < LinesPerUpload; line++)
            {
                var json = $$"""{"title":"Sent during shutdown {{upload}}-{{line}}","publishedOn":"2026-03-01","body":"Written while the site was stopping."}""" + "\n";
                await stream.WriteAsync(Encoding.UTF8.GetBytes(json));
                await stream.FlushAsync();
                if (line == 2)
                {
                    started.Signal();
                }

                await Task.Delay(50);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
