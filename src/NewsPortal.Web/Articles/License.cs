using System.Text.RegularExpressions;

namespace NewsPortal.Web.Articles;

/// <summary>A licence as a story's source names it ("CC BY-SA 4.0"), with the address of its text when it is a Creative Commons one.</summary>
public sealed partial record License(string Name, Uri? Url)
{
    public static License? From(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var match = CreativeCommons().Match(name.Trim());
        return new License(name.Trim(), match.Success
            ? new Uri($"https://creativecommons.org/licenses/{match.Groups["kind"].Value.ToLowerInvariant()}/{match.Groups["version"].Value}/")
            : null);
    }

    [GeneratedRegex(@"^CC[ -](?<kind>BY(-(SA|NC|ND))*)[ -](?<version>\d\.\d)$", RegexOptions.IgnoreCase)]
    private static partial Regex CreativeCommons();
}
