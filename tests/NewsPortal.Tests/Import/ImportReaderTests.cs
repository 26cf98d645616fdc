using System.Text;
using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Import;

/// <summary>How inputs are split into stories, and that no story is held beyond what a story can be.</summary>
public sealed class ImportReaderTests
{
    private const int Limit = 100_000;

    private static string Line(string title, int bodyLength)
        => $$"""{"title":"{{title}}","publishedOn":"2025-06-02","body":"{{new string('b', bodyLength)}}"}""";

    private static async Task<List<ImportRecord>> ReadAsync(string text, ImportFormat format, bool seekable = true)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Stream content = seekable ? new MemoryStream(bytes) : new OneWayStream(bytes);
        var records = new List<ImportRecord>();
        await foreach (var record in ImportReader.ReadAsync("input", content, format, Limit))
        {
            records.Add(record);
        }

        return records;
    }

    [Fact]
    public async Task LinesEndedByLfCrOrCrLf_AreNumberedAsWritten_WhereverTheyFallInTheReadBuffer()
    {
        // Lengths around the reader's 32 K buffer put line ends, and the two halves of a CR LF, on its edge.
        var endings = new[] { "\n", "\r\n", "\r" };
        var text = new StringBuilder();
        var expected = new List<(int Line, string Title)>();
        var lineNumber = 0;
        for (var i = 0; i < 24; i++)
        {
            var title = $"Story {i}";
            var line = Line(title, 32_768 - 70 + (i * 7 % 13) - 6);
            text.Append(line).Append(endings[i % 3]);
            expected.Add((++lineNumber, title));
            if (i % 5 == 0)
            {
                // A blank line: after a lone CR, a lone LF would be the second half of its line end.
                text.Append("\r\n");
                lineNumber++;
            }
        }

        text.Append(Line("Last, with no line end", 10));
        expected.Add((++lineNumber, "Last, with no line end"));

        var records = await ReadAsync(text.ToString(), ImportFormat.JsonLines);

        Assert.All(records, r => Assert.Empty(r.Problems));
        Assert.Equal(expected, records.Select(r => (r.Line, r.Document!.Title)));
    }

    [Fact]
    public async Task AJsonLineLongerThanAnyStoryCanBe_IsReportedUnread_AndTheLinesAfterItAreStillRead()
    {
        var text = string.Join('\n', Line("Before", 10), Line("Far too long", Limit + 1), Line("After", 10), "{not json");

        var records = await ReadAsync(text, ImportFormat.JsonLines);

        Assert.Equal([1, 2, 3, 4], records.Select(r => r.Line));
        Assert.Equal("Before", records[0].Document!.Title);
        var tooLong = Assert.Single(records[1].Problems);
        Assert.Equal(2, tooLong.Line);
        Assert.Equal("the line is longer than any story can be (100,000 characters, from Import:MaxBodyBytes), so it was not read", tooLong.Reason);
        Assert.Equal("After", records[2].Document!.Title);
        Assert.Equal(4, Assert.Single(records[3].Problems).Line);
    }

    [Fact]
    public async Task ALineJustUnderTheLimit_IsReadWhole()
    {
        var line = Line("Just under", 0);
        line = Line("Just under", Limit - line.Length);

        var record = Assert.Single(await ReadAsync(line + "\r\n", ImportFormat.JsonLines));

        Assert.Empty(record.Problems);
        Assert.Equal(Limit - Line("Just under", 0).Length, record.Document!.Body.Length);
    }

    [Theory]
    [InlineData(true, "the file (300,100 bytes) is longer than any story can be")]
    [InlineData(false, "the file is longer than any story can be")]
    public async Task ASnippetFileLongerThanAnyStoryCanBe_IsReportedUnread(bool seekable, string reason)
    {
        var size = seekable ? 3 * Limit + 100 : Limit + 1;
        const string head = "Long snippet\n\nPublished on June 2, 2025\n\n";
        var snippet = head + new string('s', size - head.Length - 1) + "\n";

        var record = Assert.Single(await ReadAsync(snippet, ImportFormat.Snippet, seekable));

        Assert.Null(record.Document);
        Assert.StartsWith(reason, Assert.Single(record.Problems).Reason);
    }

    /// <summary>A request body: read once, front to back, its length unknown.</summary>
    private sealed class OneWayStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
