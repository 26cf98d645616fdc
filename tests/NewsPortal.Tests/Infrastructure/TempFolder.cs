using System.Text;

namespace NewsPortal.Tests.Infrastructure;

/// <summary>A folder of input files for an import, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Directory.CreateDirectory(Path);
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "newsportal-input", Guid.NewGuid().ToString("N"));

    public string Write(string relativePath, string content)
    {
        var path = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public static string Snippet(string title, string body = "The story.", string extraHeaders = "", string published = "June 2, 2025")
        => $"{title}\n\nPublished on {published}\n\n{extraHeaders}{(extraHeaders.Length > 0 ? "\n\n" : "")}{body}\n";

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clear from the temp folder.
        }
    }
}
