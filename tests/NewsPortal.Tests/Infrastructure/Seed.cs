namespace NewsPortal.Tests.Infrastructure;

/// <summary>The canonical article every install starts with: the Istanbul talks report.</summary>
public static class Seed
{
    public const string FileName = "000_be25e9a4b2d11f81.txt";
    public const string Title = "Russia, Ukraine resume peace talks in Istanbul after three years";
    public const string Slug = "russia-ukraine-resume-peace-talks-in-istanbul-after-three-years";

    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "Seeds", FileName);

    public static string Text => File.ReadAllText(Path);
}
