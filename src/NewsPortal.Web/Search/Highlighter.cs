using System.Globalization;
using System.Text;

namespace NewsPortal.Web.Search;

/// <summary>
/// Marks a search's words in a hit's headline and picks the passage of its text that holds them, comparing words as
/// the index does (case and accents aside). On SQLite this is done here rather than by the index, which would read
/// every match again to find each hit's words; PostgreSQL's ts_headline does it on the page's hits alone (see
/// <see cref="PostgresSearch"/>). Either way only over the first <see cref="MaxTextLength"/> characters, so a long
/// story costs no more than a short one.
/// </summary>
public static class Highlighter
{
    /// <summary>How much of a story's text a snippet is looked for in.</summary>
    public const int MaxTextLength = 4_000;

    private const int SnippetWords = 28;

    /// <summary>The text with each matched word between <paramref name="start"/> and <paramref name="end"/>.</summary>
    public static string Highlight(string text, SearchQuery query, char start, char end)
    {
        var words = WordsOf(text).ToList();
        var marked = Matches(words, Phrases(query));
        if (marked.Count == 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length + (marked.Count * 2));
        var at = 0;
        foreach (var i in marked.Order())
        {
            result.Append(text, at, words[i].Index - at).Append(start).Append(text, words[i].Index, words[i].Length).Append(end);
            at = words[i].Index + words[i].Length;
        }

        return result.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>About <see cref="SnippetWords"/> words around the first match, marked, with "…" where cut; null when nothing matches.</summary>
    public static string? Snippet(string text, SearchQuery query, char start, char end)
    {
        var passage = Shared.Text.Cut(text, MaxTextLength);
        var phrases = Phrases(query);
        var words = new List<Word>();
        int? first = null;
        var reachedEnd = true;

        // Words are read only as far as the snippet reaches past the first match.
        foreach (var word in WordsOf(passage))
        {
            words.Add(word);
            if (first is null && phrases.FirstOrDefault(p => EndsWith(words, p)) is { } phrase)
            {
                first = Math.Max(0, words.Count - phrase.Count - (SnippetWords / 4));
            }

            if (first is { } from && words.Count >= from + SnippetWords)
            {
                reachedEnd = false;
                break;
            }
        }

        if (first is not { } found)
        {
            return null;
        }

        // Near the end of a text the passage starts earlier, so that it is as long as elsewhere.
        var firstWord = Math.Max(0, Math.Min(found, words.Count - SnippetWords));
        var last = Math.Min(words.Count - 1, firstWord + SnippetWords - 1);
        var (at, to) = (words[firstWord].Index, words[last].Index + words[last].Length);
        if (reachedEnd && last == words.Count - 1)
        {
            // The passage's own ending (its full stop) rather than an ellipsis.
            to = passage.Length;
        }

        var snippet = Highlight(passage[at..to], query, start, end);
        return (firstWord > 0 ? "…" : "") + snippet + (to < text.Length ? "…" : "");
    }

    /// <summary>Which words are the query's: each term's word, or each run of words that is one of its phrases.</summary>
    private static HashSet<int> Matches(List<Word> words, List<List<string>> phrases)
    {
        var marked = new HashSet<int>();
        for (var end = 1; end <= words.Count; end++)
        {
            foreach (var phrase in phrases)
            {
                if (EndsWith(words, phrase, end))
                {
                    marked.UnionWith(Enumerable.Range(end - phrase.Count, phrase.Count));
                }
            }
        }

        return marked;
    }

    private static List<List<string>> Phrases(SearchQuery query)
        => [.. query.Terms.Select(term => WordsOf(term).Select(w => w.Folded).ToList()).Where(p => p.Count > 0)];

    /// <summary>Whether the words before <paramref name="end"/> (by default, all of them) end with the phrase.</summary>
    private static bool EndsWith(List<Word> words, List<string> phrase, int end = -1)
    {
        end = end < 0 ? words.Count : end;
        if (end < phrase.Count)
        {
            return false;
        }

        var offset = end - phrase.Count;
        for (var j = 0; j < phrase.Count; j++)
        {
            if (!string.Equals(words[offset + j].Folded, phrase[j], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The words of a text as the index splits them, as written (not folded).</summary>
    public static IEnumerable<string> Words(string text) => Spans(text).Select(span => text[span]);

    private static IEnumerable<Word> WordsOf(string text)
        => Spans(text).Select(span => new Word(span.Start.Value, span.End.Value - span.Start.Value, Fold(text[span])));

    /// <summary>Where the words of a text are, as the index splits them: a letter or digit, then letters, marks and digits.</summary>
    private static IEnumerable<Range> Spans(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text, i))
            {
                i++;
                continue;
            }

            var start = i;
            i += char.IsSurrogatePair(text, i) ? 2 : 1;
            while (i < text.Length && (char.IsLetterOrDigit(text, i) || IsMark(CharUnicodeInfo.GetUnicodeCategory(text, i))))
            {
                i += char.IsSurrogatePair(text, i) ? 2 : 1;
            }

            yield return start..i;
        }
    }

    private static bool IsMark(UnicodeCategory category)
        => category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private readonly record struct Word(int Index, int Length, string Folded);

    /// <summary>A word as the index compares it (unicode61, diacritics removed): lower case, accents dropped.</summary>
    public static string Fold(string word)
    {
        if (Ascii.IsValid(word))
        {
            return word.ToLowerInvariant();
        }

        var decomposed = Shared.Text.Normalize(word, NormalizationForm.FormD);

        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(char.ToLowerInvariant(c));
            }
        }

        return folded.ToString();
    }
}
