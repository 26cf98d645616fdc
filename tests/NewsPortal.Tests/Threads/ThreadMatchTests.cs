using NewsPortal.Web.Threads;

namespace NewsPortal.Tests.Threads;

/// <summary>The editor's developing-story suggestion on a small, hand-made newsroom: when it speaks and when it keeps quiet.</summary>
public sealed class ThreadMatchTests
{
    private static readonly DateOnly Today = new(2026, 1, 5);

    private static List<ThreadMatch.Candidate> Threads(bool sameCategory) =>
    [
        new(1, "Harbour dredging dispute",
        [
            new("Dredging dispute: port authority and fishermen meet again. Fishermen say the dredging of the harbour channel ruins the oyster beds.", new DateOnly(2026, 1, 3), sameCategory),
            new("Port authority defends dredging plan as fishermen protest at the harbour.", new DateOnly(2026, 1, 2), sameCategory),
            new("Fishermen block the harbour mouth over dredging of the oyster beds.", new DateOnly(2026, 1, 1), sameCategory),
        ]),
        new(2, "Alpine glaciers", [new("Glacier retreat measured in the Alps: surveyors measured the glacier's tongue for the tenth year.", new DateOnly(2026, 1, 4), false)]),
    ];

    [Theory]
    [InlineData("Dredging resumes in the harbour.")]
    [InlineData("Court hears fishermen in the harbour dredging dispute. Fishermen say the dredging of the harbour channel ruins the oyster beds, the court heard.")]
    public void AStoryWithTheThreadsWords_InItsCategory_IsOfferedIt_ButNotFiledElsewhere(string text)
    {
        Assert.Equal("Harbour dredging dispute", ThreadMatch.Best(text, Today, Threads(sameCategory: true))?.Name);
        // The same words under another desk's category are not enough on their own: the suggestion keeps quiet.
        Assert.Null(ThreadMatch.Best(text, Today, Threads(sameCategory: false)));
    }

    [Theory]
    [InlineData("Oyster prices rise as fishermen land smaller catches.")]
    [InlineData("Port authority meets fishermen.")]
    [InlineData("Library extends its opening hours.")]
    public void AStoryWithFewOfTheThreadsWords_IsOfferedNothing(string text)
    {
        Assert.Null(ThreadMatch.Best(text, Today, Threads(sameCategory: true)));
    }

    [Fact]
    public void AStoryStoredBeforeTextWasCleaned_WithALoneSurrogate_IsStillMatched()
    {
        // Text stored before Text.Clean existed may hold what Unicode normalization refuses.
        var threads = Threads(sameCategory: true);
        threads[0] = threads[0] with { Stories = [.. threads[0].Stories.Select(s => s with { Text = s.Text + " \uD800" })] };

        Assert.Equal("Harbour dredging dispute", ThreadMatch.Best("Dredging resumes in the harbour. \uDC00", Today, threads)?.Name);
    }

    [Fact]
    public void OnlyTheStartOfALongStory_IsMatched()
    {
        var unrelated = string.Concat(Enumerable.Repeat("Library extends its opening hours. ", 12));
        var matching = "Dredging resumes in the harbour.";

        Assert.Equal("Harbour dredging dispute", ThreadMatch.Best(matching + new string(' ', 1_000_000) + "Library extends its opening hours.", Today, Threads(sameCategory: true))?.Name);
        // The thread's words after the first 400 characters are not read.
        Assert.True(unrelated.Length > ThreadMatch.TextLength);
        Assert.Null(ThreadMatch.Best(unrelated + matching, Today, Threads(sameCategory: true)));
    }

    [Fact]
    public void NoThreads_OrNoWords_OfferNothing()
    {
        Assert.Null(ThreadMatch.Best("Dredging resumes in the harbour.", Today, []));
        Assert.Null(ThreadMatch.Best("— …", Today, Threads(sameCategory: true)));
    }
}
