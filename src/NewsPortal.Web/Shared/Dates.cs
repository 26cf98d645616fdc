using System.Globalization;

namespace NewsPortal.Web.Shared;

/// <summary>How the portal writes dates: "2 June 2025" for people, ISO 8601 for <c>&lt;time datetime&gt;</c>.</summary>
public static class Dates
{
    public static string ToDisplayString(this DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string ToIsoString(this DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string ToDisplayString(this DateTime dateTime) => dateTime.ToString("d MMMM yyyy, HH:mm:ss", CultureInfo.InvariantCulture);

    public static string ToIsoString(this DateTime dateTime) => dateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
}
