using System.Globalization;

namespace NewsPortal.Web.Shared;

/// <summary>How the portal writes dates: "2 June 2025" for people, ISO 8601 for <c>&lt;time datetime&gt;</c>.</summary>
public static class Dates
{
    public static string ToDisplayString(this DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string ToIsoString(this DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string ToDisplayString(this DateTime dateTime) => dateTime.ToString("d MMMM yyyy, HH:mm:ss", CultureInfo.InvariantCulture);

    public static string ToIsoString(this DateTime dateTime) => dateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A UTC time as ISO 8601 with its zone, "2026-03-01T14:00:00Z", as feeds, sitemaps and schema.org take it.</summary>
    public static string ToUtcIsoString(this DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A time as PostgreSQL keeps it, to the microsecond, for comparing a time read from a file with one stored: a seventh
    /// decimal of a second (as .NET writes them, and a SQLite store's export carries) is no difference.
    /// </summary>
    public static DateTime ToTheMicrosecond(this DateTime time) => time.AddTicks(-(time.Ticks % 10));

    /// <summary>"today", "yesterday", "3 days ago", "5 months ago", "2 years ago": how long ago a date was, in words.</summary>
    public static string Ago(this DateOnly date, DateOnly today)
    {
        var days = today.DayNumber - date.DayNumber;
        return days switch
        {
            < 0 => "upcoming",
            0 => "today",
            1 => "yesterday",
            < 30 => $"{days} days ago",
            < 60 => "a month ago",
            < 365 => $"{days / 30} months ago",
            < 730 => "a year ago",
            _ => $"{days / 365} years ago",
        };
    }
}
