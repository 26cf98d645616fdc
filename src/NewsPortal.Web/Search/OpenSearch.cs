using System.Xml.Linq;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Search;

/// <summary>/opensearch.xml: lets browsers add the portal's search to their search bar.</summary>
public static class OpenSearch
{
    private static readonly XNamespace Ns = "http://a9.com/-/spec/opensearch/1.1/";

    public static IEndpointRouteBuilder MapOpenSearch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/opensearch.xml", (HttpContext context, IOptions<PortalOptions> options) =>
        {
            var site = Text.Clean(options.Value.SiteName);
            var origin = SiteUrls.Origin(context.Request);
            var document = new XDocument(new XElement(Ns + "OpenSearchDescription",
                new XElement(Ns + "ShortName", Shared.Text.Cut(site, 16)),
                new XElement(Ns + "Description", $"Search {site}"),
                new XElement(Ns + "InputEncoding", "UTF-8"),
                new XElement(Ns + "Url", new XAttribute("type", "text/html"), new XAttribute("method", "get"), new XAttribute("template", $"{origin}/search?q={{searchTerms}}")),
                new XElement(Ns + "Url", new XAttribute("type", "application/opensearchdescription+xml"), new XAttribute("rel", "self"), new XAttribute("template", $"{origin}/opensearch.xml"))));
            return Results.Text(document.Declaration + document.ToString(SaveOptions.DisableFormatting), "application/opensearchdescription+xml; charset=utf-8");
        }).ExcludeFromDescription();
        return endpoints;
    }
}
