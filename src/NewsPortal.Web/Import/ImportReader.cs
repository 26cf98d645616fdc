using System.Runtime.CompilerServices;
using System.Text;

namespace NewsPortal.Web.Import;

public enum ImportFormat
{
    Snippet,
    JsonLines,
}

/// <summary>One story read from an input, or the problems that stop it being one. <see cref="Line"/> is where it starts.</summary>
public sealed record ImportRecord(int Line, SnippetDocument? Document, IReadOnlyList<ImportProblem> Problems);

/// <summary>Reads stories from a stream in either format, one at a time, so a large file never sits in memory whole.</summary>
public static class ImportReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ImportFormat DetectFormat(string name, Stream content)
    {
        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (extension is ".jsonl" or ".ndjson" or ".json")
        {
            return ImportFormat.JsonLines;
        }

        if (extension is ".txt" or ".snippet" or ".md" || !content.CanSeek)
        {
            return ImportFormat.Snippet;
        }

        // No telling extension: a file whose first character is '{' is JSON Lines.
        var start = content.Position;
        var buffer = new byte[64];
        var read = content.Read(buffer);
        content.Position = start;
        var head = Encoding.UTF8.GetString(buffer, 0, read).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return head.StartsWith('{') ? ImportFormat.JsonLines : ImportFormat.Snippet;
    }

    public static async IAsyncEnumerable<ImportRecord> ReadAsync(
        string name, Stream content, ImportFormat format, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(content, StrictUtf8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        if (format == ImportFormat.Snippet)
        {
            string text;
            try
            {
                text = await reader.ReadToEndAsync(cancellationToken);
            }
            catch (DecoderFallbackException)
            {
                text = "";
            }

            if (text.Length == 0 && content.CanSeek && content.Length > 0)
            {
                yield return new ImportRecord(1, null, [new ImportProblem(name, 1, "the file is not UTF-8 text")]);
                yield break;
            }

            var result = SnippetParser.Parse(text, name);
            yield return result.Document is { } document
                ? new ImportRecord(1, document, [])
                : new ImportRecord(result.Problems.Min(p => p.Line), null, result.Problems);
            yield break;
        }

        var lineNumber = 0;
        while (true)
        {
            string? line;
            var notUtf8 = false;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken);
            }
            catch (DecoderFallbackException)
            {
                line = null;
                notUtf8 = true;
            }

            if (notUtf8)
            {
                yield return new ImportRecord(lineNumber + 1, null, [new ImportProblem(name, lineNumber + 1, "the line is not UTF-8 text")]);
                yield break;
            }

            if (line is null)
            {
                yield break;
            }

            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var document = JsonLines.Read(line, out var error);
            yield return document is null ? new ImportRecord(lineNumber, null, [new ImportProblem(name, lineNumber, error!)]) : new ImportRecord(lineNumber, document, []);
        }
    }
}
