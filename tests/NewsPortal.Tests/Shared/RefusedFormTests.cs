using System.Net;
using System.Net.Http.Headers;
using System.Text;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Shared;

namespace NewsPortal.Tests.Shared;

/// <summary>A form refused before its page sees it says why: a stale or missing token, or an upload over the page's limit.</summary>
public sealed class RefusedFormTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    [Fact]
    public async Task AFormSentWithoutItsToken_SaysTheFormHasExpiredAndToReload()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var response = await editor.PostAsync("/admin/articles/edit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.Title"] = "Talks resume",
            ["Form.Body"] = "Talks resumed.",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(RefusedForms.Expired, (await response.ReadDocumentAsync()).TextOf("main p"));
    }

    [Fact]
    public async Task AnUploadLargerThanTheImportPageTakes_Is413NamingTheLimit()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var page = await editor.GetDocumentAsync("/admin/import");
        var token = page.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        const long declared = 201L * 1024 * 1024;
        var content = new StreamContent(new EndlessText(Encoding.ASCII.GetBytes(
            $"--b\r\nContent-Disposition: form-data; name=\"__RequestVerificationToken\"\r\n\r\n{token}\r\n--b\r\nContent-Disposition: form-data; name=\"Files\"; filename=\"big.txt\"\r\n\r\n"), declared));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        content.Headers.ContentLength = declared;

        using var response = await editor.PostAsync("/admin/import", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("more than the 200 MB this page takes at once", (await response.ReadDocumentAsync()).TextOf("main p"));
    }

    /// <summary>A body of <paramref name="length"/> bytes made as it is read: the prefix, then a file's worth of letters.</summary>
    private sealed class EndlessText(byte[] prefix, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                var at = _position + i;
                buffer[offset + i] = at < prefix.Length ? prefix[at] : (byte)'a';
            }

            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
