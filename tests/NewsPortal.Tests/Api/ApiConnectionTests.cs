using System.Net.Sockets;
using System.Text;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Api;

/// <summary>The API behind the real Kestrel, as clients reach it: what one that hangs up at once leaves behind.</summary>
public sealed class ApiConnectionTests
{
    [Fact]
    public async Task ArticleWritesRefusedForTheirJson_WhoseClientsHangUpOnTheAnswer_FailNoConnection()
    {
        using var factory = new EditorialFactory();
        var token = await factory.TokenAsync(Roles.Editor);
        var address = new Uri($"http://127.0.0.1:{PortalCommand.FreePort()}");
        var output = new StringBuilder();
        var statuses = new List<string>();
        using var server = PortalCommand.StartSite(factory.Store, address, [], line =>
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        });
        try
        {
            using var client = new HttpClient { BaseAddress = address };
            await PortalCommand.WaitUntilAnsweringAsync(client, server);

            // Refused at its first field with a thousand bytes after it: a third of such requests whose client closed
            // the connection on reading the 400 had Kestrel fail the connection with a stack trace.
            var body = "{\"title\": -1, \"body\": \"" + new string('B', 1000) + "\"}";
            var request = Encoding.ASCII.GetBytes($"POST /api/v1/articles HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {token}\r\n"
                + $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}");
            for (var i = 0; i < 100; i++)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(address.Host, address.Port);
                await socket.SendAsync(request);
                var answer = new byte[4096];
                var read = await socket.ReceiveAsync(answer);
                statuses.Add(Encoding.ASCII.GetString(answer, 0, read).Split(' ')[1]);
            }
        }
        finally
        {
            await PortalCommand.TerminateAsync(server);
            await server.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        }

        Assert.All(statuses, status => Assert.Equal("400", status));
        lock (output)
        {
            Assert.DoesNotContain("Connection processing ended abnormally", output.ToString());
        }
    }
}
