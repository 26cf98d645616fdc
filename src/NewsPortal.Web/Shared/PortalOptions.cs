using System.ComponentModel.DataAnnotations;

namespace NewsPortal.Web.Shared;

/// <summary>Site-wide settings, bound from the "Portal" section of configuration.</summary>
public sealed class PortalOptions : IValidatableObject
{
    public const string SectionName = "Portal";

    [Required]
    public string SiteName { get; set; } = "NewsPortal";

    [Required]
    public string Description { get; set; } = "Short news snippets from agencies and sites around the world.";

    /// <summary>
    /// The site's public address, such as https://news.example.org, that absolute links (canonical links, feeds,
    /// sitemaps, robots.txt) start from. Required in Production unless AllowedHosts names the hosts served: empty,
    /// links would repeat whatever Host header a client sends.
    /// </summary>
    [RegularExpression(@"^(https?://[^\s/?#]+/?)?$", ErrorMessage = "Portal:PublicBaseUrl must be an http or https address with no path, such as https://news.example.org: the site answers at the root of its host.")]
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>
    /// The site's configured origin, or null when none is set: <see cref="PublicBaseUrl"/> as a browser sends it in an
    /// Origin header (no trailing slash or default port, the host in lower case).
    /// </summary>
    public string? PublicOrigin
    {
        get
        {
            // Read by every page (canonical link, structured data): parsed once per value rather than per request.
            var source = PublicBaseUrl;
            if (_origin is not { } cached || !ReferenceEquals(cached.Source, source))
            {
                _origin = cached = new Origin(source, Uri.TryCreate(source, UriKind.Absolute, out var site) ? site.GetLeftPart(UriPartial.Authority) : null);
            }

            return cached.Value;
        }
    }

    private sealed record Origin(string Source, string? Value);

    private Origin? _origin;

    /// <summary>Whether the site's address (Portal:PublicBaseUrl) is an https one.</summary>
    public static bool ServedOverHttps(IConfiguration configuration)
        => configuration[$"{SectionName}:{nameof(PublicBaseUrl)}"]?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Refuses to start in Production when links would be built from a client's Host header.</summary>
    public static void EnsureSiteAddress(IConfiguration configuration, IHostEnvironment environment)
    {
        if (environment.IsProduction()
            && string.IsNullOrWhiteSpace(configuration[$"{SectionName}:{nameof(PublicBaseUrl)}"])
            && configuration["AllowedHosts"] is null or "" or "*")
        {
            throw new SettingException(
                "Set Portal:PublicBaseUrl to the site's address (such as https://news.example.org), or AllowedHosts to the hosts it answers to: "
                + "in Production, links in pages, feeds and sitemaps must not be built from whatever Host header a client sends.");
        }
    }

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

    /// <summary>
    /// Longest a request may run, in seconds, before it is stopped (its statements too) and answered 503; imports
    /// and exports are exempt. A page takes milliseconds: this is for what nobody foresaw.
    /// </summary>
    [Range(0.001, 3600)]
    public double RequestTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// Longest a search (the page's and the API's) may look for matches, in seconds, before it is stopped and the
    /// reader asked for rarer words: several very common words that seldom meet, or a phrase of them, are looked for
    /// through every story holding each, which grows with the archive.
    /// </summary>
    [Range(0.001, 3600)]
    public double SearchTimeoutSeconds { get; set; } = 3;

    /// <summary>
    /// Longest an editor's or a client's save waits, in seconds, for another writer holding what it changes: an import
    /// still running holds the stories it wrote until its file commits (on SQLite, the whole store), for minutes on a
    /// large file. Past it the save is answered with what was sent kept and asked to come back, well before
    /// <see cref="RequestTimeoutSeconds"/>, whose answer keeps nothing.
    /// </summary>
    [Range(0.001, 3600)]
    public double WriteWaitSeconds { get; set; } = 5;

    /// <summary>
    /// How long a save waits for another writer: <see cref="WriteWaitSeconds"/>, but at most half the request's own
    /// time, so a site that shortens <see cref="RequestTimeoutSeconds"/> still answers a held save with its form.
    /// </summary>
    public TimeSpan WriteWait => TimeSpan.FromSeconds(Math.Min(WriteWaitSeconds, RequestTimeoutSeconds / 2));

    /// <summary>Language of articles whose snippet names none, as a BCP 47 tag (the same rule as a snippet's own).</summary>
    [Required]
    public string DefaultLanguage { get; set; } = "en";

    /// <summary>Load the snippets in <see cref="SeedDirectory"/> when the store starts empty.</summary>
    public bool SeedOnStartup { get; set; } = true;

    /// <summary>Folder of seed snippets (or several, separated by <c>;</c>), relative to the app's base directory.</summary>
    [Required]
    public string SeedDirectory { get; set; } = "Seeds";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Every story without a language of its own is stored with it, and pages name it in their lang attribute.
        if (!Import.SnippetRules.IsLanguageTag(DefaultLanguage ?? ""))
        {
            yield return new ValidationResult("Portal:DefaultLanguage must be a language tag such as en or pt-BR.", [nameof(DefaultLanguage)]);
        }
    }
}
