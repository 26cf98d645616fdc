using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Articles;

/// <summary>schema.org NewsArticle JSON-LD for an article page.</summary>
public static class StructuredData
{
    // The default encoder escapes <, > and & as \u003C…, so a headline containing "</script>" cannot end the script element.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Default };

    public static string NewsArticle(ArticleDetails article, string url, string siteName, string siteUrl)
    {
        static JsonObject Organization(string name, string? url = null)
        {
            var organization = new JsonObject { ["@type"] = "Organization", ["name"] = name };
            if (url is not null)
            {
                organization["url"] = url;
            }

            return organization;
        }

        var sources = new JsonArray([.. article.Sources.Select(s => (JsonNode)Organization(s.Name, $"{siteUrl}/sources/{s.Slug}"))]);
        var data = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "NewsArticle",
            ["headline"] = article.Title,
            ["description"] = article.Lede,
            ["url"] = url,
            ["mainEntityOfPage"] = url,
            ["datePublished"] = article.PublishedAtUtc?.ToUtcIsoString() ?? article.PublishedOn.ToIsoString(),
            ["dateModified"] = article.UpdatedAtUtc.ToUtcIsoString(),
            ["inLanguage"] = article.Language,
            ["articleSection"] = new JsonArray([.. article.Categories.Select(c => (JsonNode)c.Name)]),
            ["author"] = sources.DeepClone(),
            ["sourceOrganization"] = sources,
            ["publisher"] = Organization(siteName, siteUrl),
        };
        if (article.Image is { } image)
        {
            data["image"] = image.Url;
        }

        if (article.DocumentDate is { } documentDate)
        {
            data["dateCreated"] = documentDate.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        }

        if (article.OriginalUrl is { } original)
        {
            data["isBasedOn"] = original;
        }

        if (article.Dateline is { } dateline)
        {
            data["locationCreated"] = new JsonObject { ["@type"] = "Place", ["name"] = dateline };
        }

        return data.ToJsonString(Json);
    }
}
