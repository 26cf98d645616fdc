using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Import;

public sealed class SnippetParserTests
{
    private static SnippetDocument ParseSeed()
    {
        var result = SnippetParser.Parse(Seed.Text, Seed.FileName);
        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        return result.Document!;
    }

    private static SnippetDocument ParseValid(string text)
    {
        var result = SnippetParser.Parse(text, "test.txt");
        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        return result.Document!;
    }

    private static ImportProblem ParseInvalid(string text)
    {
        var result = SnippetParser.Parse(text, "bad.txt");
        Assert.False(result.Succeeded);
        return Assert.Single(result.Problems);
    }

    [Fact]
    public void Seed_ReadsTitleAndDates()
    {
        var seed = ParseSeed();

        Assert.Equal(Seed.Title, seed.Title);
        Assert.Equal(new DateOnly(2025, 6, 2), seed.PublishedOn);
        Assert.Equal(new DateTime(2026, 3, 28, 8, 51, 11), seed.DocumentDate);
    }

    [Fact]
    public void Seed_ReadsCategoriesWithEnglishAlsoAsTheLanguage()
    {
        var seed = ParseSeed();

        Assert.Equal(["English", "International", "Snippets"], seed.Categories);
        Assert.Equal("en", seed.Language);
    }

    [Fact]
    public void Seed_ReadsHashLinkAsNoOriginalUrl_AndTheSiteAndSource()
    {
        var seed = ParseSeed();

        Assert.Null(seed.OriginalUrl);
        Assert.Equal("rki.news", seed.Site);
        Assert.Equal(["Anadolu Agency"], seed.Sources);
    }

    [Fact]
    public void Seed_SplitsTheDatelineFromTheFirstParagraph()
    {
        var seed = ParseSeed();

        Assert.Equal("ISTANBUL", seed.Dateline);
        Assert.StartsWith("Russia and Ukraine have resumed peace negotiations in Istanbul", seed.Paragraphs[0]);
    }

    [Fact]
    public void Seed_JoinsTheParagraphBrokenMidSentence()
    {
        var seed = ParseSeed();

        Assert.Equal(7, seed.Paragraphs.Count);
        Assert.Contains("are being chaired by Turkish Foreign Minister Hakan Fidan. High-level officials", seed.Paragraphs[1]);
        Assert.EndsWith("ending the ongoing conflict.", seed.Paragraphs[^1]);
    }

    [Fact]
    public void TwoBlankLines_KeepApartParagraphsThatOneBlankLineWouldJoin()
    {
        const string Header = "A story\n\nPublished on June 2, 2025\n\nSources Wire\n\n";
        const string Broken = "The talks, hosted at the palace, are being chaired by the foreign minister and his deputy from the capital";

        var once = ParseValid(Header + Broken + "\n\ntoday. More follows.\n");
        var twice = ParseValid(Header + Broken + "\n\n\ntoday. More follows.\n");

        Assert.Equal([Broken + " today. More follows."], once.Paragraphs);
        Assert.Equal([Broken, "today. More follows."], twice.Paragraphs);
    }

    [Fact]
    public void CrlfLineEndsAndAByteOrderMark_ReadTheSameAsTheSeed()
    {
        var windows = "\uFEFF" + Seed.Text.Replace("\r\n", "\n").Replace("\n", "\r\n");

        var seed = ParseSeed();
        var parsed = ParseValid(windows);

        Assert.Equal(seed.Title, parsed.Title);
        Assert.Equal(seed.DocumentDate, parsed.DocumentDate);
        Assert.Equal(seed.Categories, parsed.Categories);
        Assert.Equal(seed.Sources, parsed.Sources);
        Assert.Equal(seed.Site, parsed.Site);
        Assert.Equal(seed.Dateline, parsed.Dateline);
        Assert.Equal(seed.Paragraphs, parsed.Paragraphs);
    }

    [Fact]
    public void RealLink_IsKeptAsTheOriginalUrl()
    {
        var snippet = ParseValid("Title\n\nPublished on 2 June 2025\n\nShow on website : [Click Here](https://rki.news/story/1)\n\nBody text.");

        Assert.Equal("https://rki.news/story/1", snippet.OriginalUrl);
    }

    [Fact]
    public void ScriptLink_IsRefusedWithItsLineNumber()
    {
        var problem = ParseInvalid("Title\n\nPublished on 2 June 2025\n\nShow on website : [x](javascript:alert(1))\n\nBody text.");

        Assert.Equal(5, problem.Line);
        Assert.Contains("not an http or https address", problem.Reason);
    }

    [Theory]
    [InlineData("June 2, 2025")]
    [InlineData("2 June 2025")]
    [InlineData("2025-06-02")]
    [InlineData("Jun 2, 2025")]
    [InlineData("Monday, June 2, 2025")]
    public void PublishedDate_AcceptsCommonSpellings(string date)
    {
        Assert.Equal(new DateOnly(2025, 6, 2), ParseValid($"Title\n\nPublished on {date}\n\nBody.").PublishedOn);
    }

    [Fact]
    public void MissingPublishedDate_IsRefusedAtTheLineWhereTheStoryBegins()
    {
        var problem = ParseInvalid("Title\n\nrki.news\n\nThe story text.");

        Assert.Equal(5, problem.Line);
        Assert.Contains("no 'Published on' date", problem.Reason);
        Assert.Equal("bad.txt:5: no 'Published on' date before the story begins", problem.ToString());
    }

    [Fact]
    public void DateThatDoesNotExist_IsRefusedWithItsLineNumber()
    {
        var problem = ParseInvalid("Title\n\nPublished on February 30, 2025\n\nBody.");

        Assert.Equal(3, problem.Line);
        Assert.Contains("'February 30, 2025' is not a real date", problem.Reason);
    }

    [Fact]
    public void MissingBody_IsRefused()
    {
        var problem = ParseInvalid("Title\n\nPublished on June 2, 2025\n\nSources Reuters\n\n\n");

        Assert.Contains("no body text", problem.Reason);
    }

    [Fact]
    public void EmptyFile_IsRefused()
    {
        Assert.Contains("empty", ParseInvalid("\n\n  \n").Reason);
    }
}

public sealed class SnippetParserToleranceTests
{
    private static SnippetDocument Parse(string text)
    {
        var result = SnippetParser.Parse(text, "test.txt");
        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        return result.Document!;
    }

    [Fact]
    public void OptionalFieldsMissing_LeaveThemEmpty()
    {
        var snippet = Parse("Quiet day\n\nPublished on 2 June 2025\n\nNothing happened today.");

        Assert.Null(snippet.OriginalUrl);
        Assert.Null(snippet.Site);
        Assert.Null(snippet.DocumentDate);
        Assert.Empty(snippet.Sources);
        Assert.Empty(snippet.Categories);
        Assert.Null(snippet.Language);
        Assert.Equal("Nothing happened today.", snippet.Body);
    }

    [Theory]
    [InlineData("Published on Monday, the ministry said the talks had failed.")]
    [InlineData("Published reports put the toll far higher than officials said.")]
    [InlineData("Sources close to the talks said a deal was near.")]
    [InlineData("Source material for the report came from three agencies.")]
    [InlineData("Language: officials used Russian throughout the talks.")]
    [InlineData("Category: the storm was rated a category four hurricane.")]
    [InlineData("Categories of weapons covered by the deal were not named.")]
    [InlineData("Link: investigators found a link between the two attacks.")]
    [InlineData("Document Date: the leaked memo was dated two weeks earlier.")]
    public void AStoryOpeningWithALabelWord_IsTheStory_NotAHeader(string opening)
    {
        var snippet = Parse($"Talks collapse in Geneva\n\nPublished on May 9, 2026\n\n{opening}\n\nThe delegations left on Tuesday.");

        Assert.Equal(new DateOnly(2026, 5, 9), snippet.PublishedOn);
        Assert.Equal($"{opening}\n\nThe delegations left on Tuesday.", snippet.Body);
        Assert.Empty(snippet.Sources);
        Assert.Empty(snippet.Categories);
        Assert.Null(snippet.OriginalUrl);
        Assert.Null(snippet.DocumentDate);
    }

    [Theory]
    [InlineData("License: CC BY-SA 4.0")]
    [InlineData("Licence: CC BY-SA 4.0")]
    public void ALicenseLine_InTheHeader_IsRead_AndTheSourcesAfterItToo(string licenseLine)
    {
        var snippet = Parse($"Floods hit the valley\n\nPublished on May 9, 2026\n\nen.wikipedia.org\n\n{licenseLine}\n\nSources Reuters, AP\n\nRivers rose overnight.");

        Assert.Equal("CC BY-SA 4.0", snippet.License);
        Assert.Equal(["Reuters", "AP"], snippet.Sources);
        Assert.Equal("Rivers rose overnight.", snippet.Body);
    }

    [Fact]
    public void AnUnknownHeader_BeforeOtherHeaders_IsReportedWithItsLine_NotTakenForTheStory()
    {
        var result = SnippetParser.Parse("Floods hit the valley\n\nPublished on May 9, 2026\n\nRights: all reserved\n\nSources Reuters\n\nRivers rose overnight.", "floods.txt");

        Assert.False(result.Succeeded);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(5, problem.Line);
        Assert.StartsWith("'Rights:' is not a header this importer reads", problem.Reason);
    }

    [Fact]
    public void BodyOpeningLikeAHeaderLine_AfterThatHeader_IsTheBody()
    {
        var snippet = Parse("Sources say 70 were killed in Mali\n\nPublished on May 9, 2026\n\nSources Daily Beirut, Times of India\n\n"
            + "Sources say that 70 people were killed in a new wave of attacks.\n\nPublished reports put the toll higher.");

        Assert.Equal(["Daily Beirut", "Times of India"], snippet.Sources);
        Assert.Equal("Sources say that 70 people were killed in a new wave of attacks.\n\nPublished reports put the toll higher.", snippet.Body);
    }

    [Theory]
    [InlineData("Sources Reuters, AFP", new[] { "Reuters", "AFP" })]
    [InlineData("Sources: Reuters; AFP; Anadolu Agency", new[] { "Reuters", "AFP", "Anadolu Agency" })]
    [InlineData("Source The Globe and Mail", new[] { "The Globe and Mail" })]
    [InlineData("Sources The Globe and Mail, Reuters", new[] { "The Globe and Mail", "Reuters" })]
    [InlineData("Sources Reuters, reuters ,  REUTERS", new[] { "Reuters" })]
    public void SeveralSources_AreSplitOnCommasAndSemicolonsOnly(string line, string[] expected)
    {
        Assert.Equal(expected, Parse($"Title\n\nPublished on 2 June 2025\n\n{line}\n\nBody.").Sources);
    }

    [Theory]
    [InlineData("Category: ,English,International - ,Snippets", new[] { "English", "International", "Snippets" })]
    [InlineData("Categories: Business | Markets; World", new[] { "Business", "Markets", "World" })]
    [InlineData("Category: Arts and culture - Europe", new[] { "Arts and culture", "Europe" })]
    [InlineData("Category: ,,  ,Business,", new[] { "Business" })]
    [InlineData("Category: \"Arts, culture and entertainment\", World", new[] { "Arts, culture and entertainment", "World" })]
    [InlineData("Category: \"Breaking\" news, World", new[] { "\"Breaking\" news", "World" })]
    public void OddCategorySeparators_AreTolerated(string line, string[] expected)
    {
        Assert.Equal(expected, Parse($"Title\n\nPublished on 2 June 2025\n\n{line}\n\nBody.").Categories);
    }

    [Fact]
    public void NamesTheHeadersWouldSplitOrTrim_SurviveAnExportAndImport()
    {
        var story = new ArticleBuilder().Titled("Names that need quotes")
            .InCategory("Arts, culture and entertainment").InCategory("Middle East - Politics").InCategory("U.S.").InCategory("The \"Sun\" desk").InCategory("World")
            .FromSource("Reuters; Paris bureau").FromSource("AFP").Build();

        var read = SnippetParser.Parse(SnippetWriter.Write(story), "story.txt").Document!;

        Assert.Equal(story.Categories, read.Categories);
        Assert.Equal(story.Sources, read.Sources);
        Assert.Contains("Category: \"Arts, culture and entertainment\", \"Middle East - Politics\", \"U.S.\", The \"Sun\" desk, World", SnippetWriter.Write(story));
    }

    [Theory]
    [InlineData("Talks > ceasefire: the second round")]
    [InlineData("\"Operation Dawn\" aftermath")]
    [InlineData("Gaza war")]
    public void ADevelopingStoryTheTopicsLineWouldReadAsAPath_SurvivesAnExportAndImport(string thread)
    {
        var story = new ArticleBuilder().Titled("Thread names that need quotes").InThread(thread).Build();

        Assert.Equal(thread, SnippetParser.Parse(SnippetWriter.Write(story), "story.txt").Document!.Thread);
    }

    [Fact]
    public void LanguageNamedAsACategory_SetsTheLanguage()
    {
        Assert.Equal("tr", Parse("Başlık\n\nPublished on 2 June 2025\n\nCategory: Turkish, Politics\n\nMetin.").Language);
    }

    [Theory]
    [InlineData("Sat, Mar 28 2026 08:51:11 am", 2026, 3, 28, 8, 51, 11)]
    [InlineData("Sat, Mar 28 2026 08:51:11 PM", 2026, 3, 28, 20, 51, 11)]
    [InlineData("June 2, 2025 8:05 pm", 2025, 6, 2, 20, 5, 0)]
    [InlineData("2 June 2025 12:30 am", 2025, 6, 2, 0, 30, 0)]
    [InlineData("2025-06-02T14:05:00", 2025, 6, 2, 14, 5, 0)]
    [InlineData("2025-06-02 14:05", 2025, 6, 2, 14, 5, 0)]
    public void DocumentDate_AcceptsTwelveAndTwentyFourHourTimes(string value, int y, int mo, int d, int h, int mi, int s)
    {
        Assert.Equal(new DateTime(y, mo, d, h, mi, s), Parse($"Title\n\nPublished on 2 June 2025\n\nDocument Date: {value}\n\nBody.").DocumentDate);
    }

    [Fact]
    public void UnicodeInAnyScript_IsKeptAndComposedToNfc()
    {
        var decomposed = "Tu\u0308rkiye";
        var snippet = Parse($"{decomposed} и Україна: 和平 محادثات\n\nPublished on 2 June 2025\n\nSources Agence France-Presse, Анадолу\n\nΑΘΗΝΑ – Ειρήνη {decomposed}.");

        Assert.Equal("Türkiye и Україна: 和平 محادثات", snippet.Title);
        Assert.True(snippet.Title.IsNormalized(System.Text.NormalizationForm.FormC));
        Assert.Equal(["Agence France-Presse", "Анадолу"], snippet.Sources);
        Assert.Equal("ΑΘΗΝΑ", snippet.Dateline);
        Assert.Equal("Ειρήνη Türkiye.", snippet.Body);
    }

    [Fact]
    public void ExtraBlankLinesAndTrailingSpaces_AreIgnored()
    {
        var snippet = Parse("\n\n\nTitle   \n\n\n\n\nPublished on 2 June 2025   \n\n\n\nrki.news\n\n\n\nFirst paragraph.\n\n\n\n\nSecond paragraph.\n\n\n");

        Assert.Equal("Title", snippet.Title);
        Assert.Equal("rki.news", snippet.Site);
        Assert.Equal(["First paragraph.", "Second paragraph."], snippet.Paragraphs);
    }

    [Fact]
    public void AShortLineOrAnAttribution_WithoutAFullStop_StaysAParagraphOfItsOwn()
    {
        var snippet = Parse("Title\n\nPublished on 2 June 2025\n\n\"We will be back next year,\" the organiser said.\n\n—Troy Roberts\n\nRead more\n\nTickets go on sale in May.");

        Assert.Equal(["\"We will be back next year,\" the organiser said.", "—Troy Roberts", "Read more", "Tickets go on sale in May."], snippet.Paragraphs);
    }

    [Fact]
    public void SeveralBrokenParagraphs_AreEachJoined_ButListsAndHeadingsAreLeftAlone()
    {
        var snippet = Parse("Title\n\nPublished on 2 June 2025\n\nThe minister said the talks\n\nwould continue next week\n\nin Ankara.\n\nKey points:\n\n- first\n- second\n\nEnd of story.");

        Assert.Equal(["The minister said the talks would continue next week in Ankara.", "Key points:", "- first\n- second", "End of story."], snippet.Paragraphs);
    }

    [Fact]
    public void TitleMissing_WhenTheFileStartsWithAHeader_IsRefused()
    {
        var result = SnippetParser.Parse("Published on 2 June 2025\n\nBody.", "no-title.txt");

        Assert.False(result.Succeeded);
        Assert.Equal("no-title.txt:1: the snippet starts with a header line, not a title", Assert.Single(result.Problems).ToString());
    }

    [Fact]
    public void DocumentDateThatDoesNotExist_IsRefusedWithItsLineNumber()
    {
        var result = SnippetParser.Parse("Title\n\nPublished on 2 June 2025\n\nDocument Date: Feb 30 2026 08:51:11 am\n\nBody.", "bad.txt");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(5, problem.Line);
        Assert.Contains("'Document Date' 'Feb 30 2026 08:51:11 am' is not a real date and time", problem.Reason);
    }
}
