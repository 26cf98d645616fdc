using System.ComponentModel.DataAnnotations;

namespace NewsPortal.Web.Shared;

/// <summary>Site-wide settings, bound from the "Portal" section of configuration.</summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    [Required]
    public string SiteName { get; set; } = "NewsPortal";

    [Required]
    public string Description { get; set; } = "Short news snippets from agencies and sites around the world.";

    /// <summary>
    /// The site's public address, such as https://news.example.org, that absolute links (in feeds) start from.
    /// Empty: the scheme and host each request came to, which a proxy in front of the site may change.
    /// </summary>
    [RegularExpression(@"^(https?://[^\s/?#]+(/[^\s?#]*)?)?$", ErrorMessage = "Portal:PublicBaseUrl must be an http or https address, such as https://news.example.org.")]
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Articles on each page of a listing.</summary>
    [Range(1, 200)]
    public int PageSize { get; set; } = 20;

    /// <summary>
    /// Stories a request filtering on more than one thing (a search by filters alone, an API list by category and
    /// source) looks at: it walks the narrowest listing this far and checks the rest on each story, so a rare
    /// combination costs the same as a common one (it may answer with fewer, and a way to look further).
    /// </summary>
    [Range(100, 1_000_000)]
    public int ScanBudget { get; set; } = 5_000;

    /// <summary>Language of articles whose snippet names none, as a BCP 47 tag.</summary>
    [Required]
    public string DefaultLanguage { get; set; } = "en";

    /// <summary>Load the snippets in <see cref="SeedDirectory"/> when the store starts empty.</summary>
    public bool SeedOnStartup { get; set; } = true;

    /// <summary>Folder of seed snippets, relative to the app's base directory.</summary>
    [Required]
    public string SeedDirectory { get; set; } = "Seeds";
}
