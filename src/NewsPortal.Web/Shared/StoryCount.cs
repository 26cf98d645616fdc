using System.Globalization;

namespace NewsPortal.Web.Shared;

/// <summary>A count of stories as readers read it: "1 story", "1,234 stories".</summary>
public static class StoryCount
{
    public static string Of(int count) => $"{count.ToString("N0", CultureInfo.InvariantCulture)} {(count == 1 ? "story" : "stories")}";
}

/// <summary>The line under a listing's name: how many stories it holds (kept on write), and the index of its kind.</summary>
public sealed record ListingSummary(int Count, string IndexPath, string IndexName);
