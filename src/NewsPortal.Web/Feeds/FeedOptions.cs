using System.ComponentModel.DataAnnotations;

namespace NewsPortal.Web.Feeds;

/// <summary>Syndication settings, bound from the "Feeds" section of configuration.</summary>
public sealed class FeedOptions
{
    public const string SectionName = "Feeds";

    /// <summary>Newest public articles each feed carries.</summary>
    [Range(1, 500)]
    public int ItemCount { get; set; } = 50;

    /// <summary>A WebSub hub that subscribers are pointed to (<c>rel="hub"</c>); empty for none.</summary>
    [RegularExpression(@"^(https?://\S+)?$", ErrorMessage = "Feeds:WebSubHub must be an http or https address.")]
    public string WebSubHub { get; set; } = "";
}
