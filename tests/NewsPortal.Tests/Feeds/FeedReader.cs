using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.ServiceModel.Syndication;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace NewsPortal.Tests.Feeds;

/// <summary>Fetching feeds over HTTP and reading them back in each format.</summary>
public static class FeedReader
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace DublinCore = "http://purl.org/dc/elements/1.1/";

    /// <summary>GETs a feed, failing the test unless it answers 200 with its format's media type in UTF-8.</summary>
    public static async Task<string> GetFeedAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}:\n{body[..Math.Min(body.Length, 2000)]}");
        var expected = Path.GetExtension(url) switch
        {
            ".atom" => "application/atom+xml",
            ".rss" => "application/rss+xml",
            _ => "application/feed+json",
        };
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        return body;
    }

    public static async Task<XDocument> GetAtomAsync(this HttpClient client, string url) => XDocument.Parse(await client.GetFeedAsync(url));

    /// <summary>Reads an RSS feed with System.ServiceModel.Syndication's own RSS 2.0 reader.</summary>
    public static async Task<SyndicationFeed> GetRssAsync(this HttpClient client, string url)
    {
        using var reader = XmlReader.Create(new StringReader(await client.GetFeedAsync(url)));
        var formatter = new Rss20FeedFormatter();
        Assert.True(formatter.CanRead(reader), $"{url} is not RSS 2.0");
        formatter.ReadFrom(reader);
        return formatter.Feed;
    }

    public static async Task<JsonElement> GetJsonFeedAsync(this HttpClient client, string url)
    {
        using var document = JsonDocument.Parse(await client.GetFeedAsync(url));
        return document.RootElement.Clone();
    }

    /// <summary>The titles of a feed's entries in order, whatever its format.</summary>
    public static async Task<string[]> TitlesAsync(this HttpClient client, string url) => Path.GetExtension(url) switch
    {
        ".atom" => [.. (await client.GetAtomAsync(url)).Root!.Elements(Atom + "entry").Select(e => e.Element(Atom + "title")!.Value)],
        ".rss" => [.. (await client.GetRssAsync(url)).Items.Select(i => i.Title.Text)],
        _ => [.. (await client.GetJsonFeedAsync(url)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!)],
    };
}

/// <summary>Checks Atom documents against the RFC 4287 RELAX NG schema (atom.rng beside this file) with xmllint.</summary>
public static class AtomSchema
{
    private static string SchemaPath => Path.Combine(AppContext.BaseDirectory, "Feeds", "atom.rng");

    public static async Task AssertValidAsync(string xml)
    {
        var (exitCode, output) = await ValidateAsync(xml);
        Assert.True(exitCode == 0, $"xmllint found the feed invalid (exit {exitCode}):\n{output}\n{xml[..Math.Min(xml.Length, 4000)]}");
    }

    /// <summary>Runs <c>xmllint --noout --relaxng atom.rng</c>; a machine without xmllint fails the test rather than skipping it.</summary>
    public static async Task<(int ExitCode, string Output)> ValidateAsync(string xml)
    {
        var file = Path.Combine(Path.GetTempPath(), $"newsportal-feed-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(file, xml);
        try
        {
            var start = new ProcessStartInfo("xmllint") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "--noout", "--relaxng", SchemaPath, file })
            {
                start.ArgumentList.Add(argument);
            }

            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (Win32Exception e)
            {
                throw new Xunit.Sdk.XunitException($"xmllint is needed to check the Atom feeds (apt-get install libxml2-utils): {e.Message}");
            }

            using (process)
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var errors = process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                await process.WaitForExitAsync(timeout.Token);
                return (process.ExitCode, await output + await errors);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }
}
