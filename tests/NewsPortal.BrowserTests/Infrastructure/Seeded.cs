namespace NewsPortal.BrowserTests.Infrastructure;

/// <summary>Addresses of the Istanbul talks report every install is seeded with, and of the story thread the tests add.</summary>
public static class Seeded
{
    public const string ArticleTitle = "Russia, Ukraine resume peace talks in Istanbul after three years";
    public const string ArticlePath = "/articles/russia-ukraine-resume-peace-talks-in-istanbul-after-three-years";
    public const string SourcePath = "/sources/anadolu-agency";
    public const string CategoryPath = "/categories/international";

    /// <summary>The developing story <see cref="PortalServer"/> adds three earlier reports to.</summary>
    public const string ThreadName = "Istanbul peace talks";
    public const string ThreadPath = "/threads/istanbul-peace-talks";
}
