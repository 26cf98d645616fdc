using System.Globalization;

namespace NewsPortal.Web.Shared;

/// <summary>Reads the <c>?page=</c> value of a listing. Out-of-range numbers are clamped later by the listing itself.</summary>
public static class PageNumber
{
    public const string InvalidMessage = "The page number must be a whole number, such as ?page=2.";

    public static bool TryParse(string? raw, out long page)
    {
        page = 1;
        if (string.IsNullOrWhiteSpace(raw))
        {
            return true;
        }

        var text = raw.Trim();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out page))
        {
            return true;
        }

        // A run of digits too long for a long is still a page number, just far past the last page.
        var digits = text.TrimStart('+');
        if (digits.Length > 0 && digits.All(char.IsAsciiDigit))
        {
            page = long.MaxValue;
            return true;
        }

        return false;
    }

    /// <summary>The page actually shown for a requested number: between 1 and the last page.</summary>
    public static int Clamp(long requested, int totalCount, int pageSize)
    {
        var lastPage = Math.Max(1, (totalCount + pageSize - 1) / pageSize);
        return (int)Math.Clamp(requested, 1, lastPage);
    }
}
