using NewsPortal.Web.Import;
using NewsPortal.Web.Shared;

namespace NewsPortal.Tests.Import;

public sealed class SlugBookTests
{
    /// <summary>A store holding <paramref name="held"/>, counting the questions asked of it.</summary>
    private sealed class Store(params string[] held)
    {
        public HashSet<string> Held { get; } = new(held, StringComparer.Ordinal);

        public List<List<string>> Asked { get; } = [];

        public SlugBook Book() => new((slugs, _) =>
        {
            Asked.Add(slugs);
            return Task.FromResult<IReadOnlyCollection<string>>([.. slugs.Where(Held.Contains)]);
        });
    }

    [Fact]
    public async Task AFreeAddress_IsGivenAsItIs()
    {
        var store = new Store("talks-2");

        Assert.Equal("talks", await store.Book().TakeAsync("talks", CancellationToken.None));
    }

    [Fact]
    public async Task AHeldAddress_GivesTheFirstFreeNumber_AndTheNextOneAfterIt()
    {
        var store = new Store("talks", "talks-2", "talks-3", "talks-5");
        var book = store.Book();

        Assert.Equal("talks-4", await book.TakeAsync("talks", CancellationToken.None));
        Assert.Equal("talks-6", await book.TakeAsync("talks", CancellationToken.None));
        Assert.Equal("talks-7", await book.TakeAsync("talks", CancellationToken.None));
    }

    [Fact]
    public async Task ManyStoriesSharingAnAddress_AskTheStoreAFewTimes_NotOncePerNumber()
    {
        var store = new Store([.. Enumerable.Range(1, 150).Select(n => n == 1 ? "briefing" : $"briefing-{n}")]);
        var book = store.Book();

        var given = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            given.Add(await book.TakeAsync("briefing", CancellationToken.None));
        }

        Assert.Equal(300, given.Distinct().Count());
        Assert.Equal("briefing-151", given[0]);
        Assert.Equal("briefing-450", given[^1]);
        Assert.InRange(store.Asked.Count, 2, 1 + (450 / SlugBook.Probe) + 1);
    }

    [Fact]
    public async Task ReservingForABatch_AsksForEveryAddressInOneQuestion()
    {
        var store = new Store("b");
        var book = store.Book();

        await book.ReserveAsync(["a", "b", "c", "a"], CancellationToken.None);
        var asked = store.Asked.Count;
        var given = new[] { book.Take("a"), book.Take("b"), book.Take("c"), book.Take("a") };

        Assert.Equal(["a", "b-2", "c", "a-2"], given);
        // The bases at once, then the numbers of those held or wanted twice.
        Assert.Equal(2, asked);
        Assert.Equal(["a", "b", "c"], store.Asked[0]);
    }

    [Fact]
    public async Task LongAddressesCutToTheSameNumberedForm_AreStillGivenOnce()
    {
        var first = new string('a', Slug.MaxLength - 1) + "b";
        var second = new string('a', Slug.MaxLength - 1) + "c";
        var book = new Store(first, second).Book();

        var given = new List<string>();
        for (var i = 0; i < 2 * SlugBook.Probe; i++)
        {
            given.Add(await book.TakeAsync(i % 2 == 0 ? first : second, CancellationToken.None));
        }

        Assert.Equal(given.Count, given.Distinct().Count());
        Assert.All(given, slug => Assert.True(slug.Length <= Slug.MaxLength));
    }

    [Fact]
    public async Task AfterClear_TheStoreIsAskedAgain_AndWhatWasGivenIsFreeAgain()
    {
        var store = new Store();
        var book = store.Book();
        Assert.Equal("talks", await book.TakeAsync("talks", CancellationToken.None));

        book.Clear();

        Assert.Equal("talks", await book.TakeAsync("talks", CancellationToken.None));
        Assert.Equal(2, store.Asked.Count);
    }

    [Fact]
    public async Task ABookHoldingEveryAddress_NeverAsksTheStore()
    {
        var store = new Store();
        var book = store.Book();
        book.HoldAll(["reuters", "reuters-2"]);

        Assert.Equal("reuters-3", await book.TakeAsync("reuters", CancellationToken.None));
        Assert.Equal("afp", await book.TakeAsync("afp", CancellationToken.None));
        Assert.Empty(store.Asked);
    }

    [Fact]
    public async Task AfterTheStoreHoldsWhatWasGiven_NumberingGoesOn_WithoutAskingFromTheStart()
    {
        var store = new Store("talks");
        var book = store.Book();
        var given = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            given.Add(await book.TakeAsync("talks", CancellationToken.None));
        }

        store.Held.UnionWith(given);
        book.Settle();
        store.Asked.Clear();

        Assert.Equal("talks-5", await book.TakeAsync("talks", CancellationToken.None));
        Assert.Equal("new-story", await book.TakeAsync("new-story", CancellationToken.None));
        Assert.DoesNotContain(store.Asked.SelectMany(a => a), slug => slug is "talks" or "talks-2" or "talks-3" or "talks-4");
    }
}
