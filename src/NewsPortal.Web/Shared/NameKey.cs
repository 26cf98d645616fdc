using System.Text;

namespace NewsPortal.Web.Shared;

/// <summary>
/// The key under which category and source names are matched: Unicode NFKC, case-folded, white space collapsed,
/// so "Anadolu Agency", "anadolu  agency" and a decomposed "Türkiye" each name one thing.
/// </summary>
public static class NameKey
{
    public static string For(string name) => Text.CollapseWhitespace(Text.Normalize(name, NormalizationForm.FormKC)).ToLowerInvariant();
}
