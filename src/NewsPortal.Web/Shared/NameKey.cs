using System.Text;

namespace NewsPortal.Web.Shared;

/// <summary>
/// The key under which category and source names are matched: Unicode NFKC, case-folded, white space collapsed,
/// so "Anadolu Agency", "anadolu  agency" and a decomposed "Türkiye" each name one thing.
/// </summary>
public static class NameKey
{
    public static string For(string name) => Text.CollapseWhitespace(WithoutInvisibles(Text.Normalize(name, NormalizationForm.FormKC))).ToLowerInvariant();

    /// <summary>
    /// The name without the format characters nobody sees (a zero-width space, a soft hyphen, a direction mark), which
    /// would make two names that look alike two categories. Zero-width joiners stay: they change how a Persian word or
    /// an emoji looks.
    /// </summary>
    private static string WithoutInvisibles(string name)
    {
        if (!name.Any(IsInvisible))
        {
            return name;
        }

        return string.Concat(name.Where(c => !IsInvisible(c)));

        static bool IsInvisible(char c) => c is not ('\u200C' or '\u200D')
            && System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format;
    }

    /// <summary>
    /// Where a name files in an A–Z and in a search by its start: its key without accents ("Ötv" under O, "Çağdaş"
    /// under C, "ely" finds "Élysée"), then the key itself, so names folding alike keep one order and each key one place.
    /// </summary>
    public static string ForIndex(string nameKey) => Fold(nameKey) + IndexSeparator + nameKey;

    /// <summary>Ends the folded part of an index key: below every character a key holds, so "ab" files before "ab c".</summary>
    public const char IndexSeparator = '\u0001';

    /// <summary>The folded form of what a reader typed, as index keys start.</summary>
    public static string FoldedStart(string typed) => Fold(For(typed));

    private static string Fold(string key)
    {
        var folded = new StringBuilder(key.Length);
        foreach (var c in Text.Normalize(key, NormalizationForm.FormD))
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                folded.Append(c);
            }
        }

        return Text.Normalize(folded.ToString(), NormalizationForm.FormC);
    }
}
