using System.Globalization;
using System.Text;

namespace NewsPortal.Web.Shared;

/// <summary>Readable URL slugs: Latin letters lose their accents ("Türkiye" → "turkiye"), other scripts stay as they are.</summary>
public static class Slug
{
    public const int MaxLength = 80;

    // Letters that Unicode decomposition does not reduce to an ASCII base letter.
    private static readonly Dictionary<char, string> Foldings = new()
    {
        ['ß'] = "ss",
        ['ı'] = "i",
        ['ø'] = "o",
        ['æ'] = "ae",
        ['œ'] = "oe",
        ['đ'] = "d",
        ['ð'] = "d",
        ['ł'] = "l",
        ['þ'] = "th",
        ['ħ'] = "h",
        ['ŧ'] = "t",
        ['ŋ'] = "ng",
        ['ĸ'] = "k",
    };

    /// <summary>
    /// A slug as a path segment of a redirect's <c>Location</c> or a created story's address: other scripts' letters
    /// percent-encoded, as a header must be (a slug of Chinese or Arabic letters made every such response a 500).
    /// </summary>
    public static string InPath(string slug) => Uri.EscapeDataString(slug);

    public static string From(string text, string fallback = "item")
    {
        var decomposed = Text.Normalize(text, NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingHyphen = false;
        foreach (var raw in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(raw);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            var c = char.ToLowerInvariant(raw);
            if (char.IsLetterOrDigit(c) || c == '\'' || c == '’')
            {
                if (c is '\'' or '’')
                {
                    // "Türkiye's" reads better as "turkiyes" than "turkiye-s".
                    continue;
                }

                if (pendingHyphen && builder.Length > 0)
                {
                    builder.Append('-');
                }

                pendingHyphen = false;
                builder.Append(Foldings.TryGetValue(c, out var folded) ? folded : c.ToString());
            }
            else
            {
                pendingHyphen = true;
            }
        }

        var slug = Truncate(Text.Normalize(builder.ToString(), NormalizationForm.FormC));
        return slug.Length == 0 ? fallback : slug;
    }

    /// <summary>"talks" and 2 give "talks-2", shortening the base so the result stays within <see cref="MaxLength"/>.</summary>
    public static string WithNumber(string baseSlug, int number)
    {
        var suffix = "-" + number.ToString(CultureInfo.InvariantCulture);
        return Truncate(baseSlug, MaxLength - suffix.Length) + suffix;
    }

    private static string Truncate(string slug, int max = MaxLength)
    {
        if (slug.Length <= max)
        {
            return slug;
        }

        var cut = Text.Cut(slug, max);
        var lastHyphen = cut.LastIndexOf('-');
        return (lastHyphen > max / 2 ? cut[..lastHyphen] : cut).TrimEnd('-');
    }
}
