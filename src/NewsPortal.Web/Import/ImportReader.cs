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

    /// <summary>
    /// Reads the stories in <paramref name="content"/>. No story within the limits is longer than
    /// <paramref name="maxStoryChars"/> characters, so neither a snippet file nor a JSON line is held beyond that:
    /// a longer one is reported with its line, unread, and memory follows the limits whatever the input.
    /// </summary>
    public static async IAsyncEnumerable<ImportRecord> ReadAsync(
        string name, Stream content, ImportFormat format, int maxStoryChars, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(content, StrictUtf8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        if (format == ImportFormat.Snippet)
        {
            if (content.CanSeek && content.Length - content.Position > maxStoryChars * 3L)
            {
                yield return new ImportRecord(1, null, [TooLong(name, 1, $"the file ({content.Length - content.Position:N0} bytes)", maxStoryChars)]);
                yield break;
            }

            string? text;
            try
            {
                text = await ReadUpToAsync(reader, maxStoryChars, cancellationToken);
            }
            catch (DecoderFallbackException)
            {
                text = "";
            }

            if (text is null)
            {
                yield return new ImportRecord(1, null, [TooLong(name, 1, "the file", maxStoryChars)]);
                yield break;
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

        var lines = new LineReader(reader, maxStoryChars);
        var lineNumber = 0;
        while (true)
        {
            string? line;
            var notUtf8 = false;
            try
            {
                line = await lines.ReadLineAsync(cancellationToken);
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
            if (ReferenceEquals(line, LineReader.TooLong))
            {
                yield return new ImportRecord(lineNumber, null, [TooLong(name, lineNumber, "the line", maxStoryChars)]);
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var document = JsonLines.Read(line, out var error);
            yield return document is null ? new ImportRecord(lineNumber, null, [new ImportProblem(name, lineNumber, error!)]) : new ImportRecord(lineNumber, document, []);
        }
    }

    private static ImportProblem TooLong(string name, int line, string what, int maxStoryChars)
        => new(name, line, $"{what} is longer than any story can be ({maxStoryChars:N0} characters, from Import:MaxBodyBytes), so it was not read");

    /// <summary>The rest of the text, or null when it is longer than <paramref name="maxChars"/>.</summary>
    private static async Task<string?> ReadUpToAsync(StreamReader reader, int maxChars, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new char[16 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (text.Length + read > maxChars)
            {
                return null;
            }

            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    /// <summary>
    /// Lines as <see cref="StreamReader.ReadLineAsync()"/> splits them (at \n, \r or \r\n), except that a line longer
    /// than the limit is skipped rather than held, and comes back as <see cref="TooLong"/>.
    /// </summary>
    private sealed class LineReader(StreamReader reader, int maxChars)
    {
        public static readonly string TooLong = new('\0', 1);

        private readonly char[] _buffer = new char[32 * 1024];
        private readonly StringBuilder _partial = new();
        private int _start;
        private int _end;
        private bool _afterCarriageReturn;

        public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            _partial.Clear();
            var started = false;
            var tooLong = false;
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await reader.ReadAsync(_buffer, cancellationToken);
                    if (_end == 0)
                    {
                        return !started ? null : tooLong ? TooLong : _partial.ToString();
                    }
                }

                if (_afterCarriageReturn)
                {
                    _afterCarriageReturn = false;
                    if (_buffer[_start] == '\n')
                    {
                        _start++;
                        continue;
                    }
                }

                started = true;
                var rest = _buffer.AsSpan(_start, _end - _start);
                var end = rest.IndexOfAny('\r', '\n');
                var part = end < 0 ? rest : rest[..end];
                if (!tooLong)
                {
                    if (_partial.Length + part.Length > maxChars)
                    {
                        tooLong = true;
                        _partial.Clear();
                    }
                    else if (end >= 0 && _partial.Length == 0)
                    {
                        // The usual case: the whole line is in the buffer.
                        _start += end + 1;
                        _afterCarriageReturn = rest[end] == '\r';
                        return new string(part);
                    }
                    else
                    {
                        _partial.Append(part);
                    }
                }

                if (end < 0)
                {
                    _start = _end;
                    continue;
                }

                _start += end + 1;
                _afterCarriageReturn = rest[end] == '\r';
                return tooLong ? TooLong : _partial.ToString();
            }
        }
    }
}
