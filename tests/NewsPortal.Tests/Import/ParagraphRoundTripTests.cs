using NewsPortal.Corpus;
using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Import;

/// <summary>The rule that joins a paragraph broken mid-sentence, proved on real text: it never joins two real paragraphs.</summary>
public sealed class ParagraphRoundTripTests
{
    [Theory]
    [InlineData("current events")]
    [InlineData("wikinews")]
    public void EveryParagraphOfTheCorpus_WrittenAsASnippetAndReadBack_IsUnchanged(string corpus)
    {
        var documents = corpus == "wikinews"
            ? CorpusFiles.Wikinews.SelectMany(CorpusConverter.Wikinews).ToList()
            : [.. CorpusConverter.CurrentEvents(CorpusFiles.CurrentEvents)];
        var changed = new List<string>();

        foreach (var document in documents)
        {
            var read = SnippetParser.Parse(SnippetWriter.Write(document), "corpus.txt");
            Assert.True(read.Succeeded, $"{document.Title}: {string.Join("; ", read.Problems)}");
            if (!Stored(read.Document!).SequenceEqual(Stored(document)))
            {
                var joined = Stored(read.Document!).Except(Stored(document)).FirstOrDefault() ?? "";
                changed.Add($"{document.Title}: «{(joined.Length > 160 ? joined[..80] + " … " + joined[^80..] : joined)}»");
            }
        }

        Assert.True(documents.Count > 250, $"only {documents.Count} documents");
        Assert.True(changed.Count == 0, $"{changed.Count} of {documents.Count} changed, such as: {string.Join(" | ", changed.Take(5))}");
    }

    /// <summary>The paragraphs as the importer keeps them: cleaned, and without white space at the ends of lines (which a snippet file cannot keep).</summary>
    private static IEnumerable<string> Stored(SnippetDocument document)
        => SnippetRules.Normalize(document).Paragraphs.Select(p => string.Join('\n', p.Split('\n').Select(line => line.TrimEnd())));
}
