namespace NewsPortal.Web.Shared;

/// <summary>
/// Where the app keeps its files. The content root (appsettings.json, App_Data/) is the app's own folder wherever it
/// is started from, so <c>dotnet run</c> can start it in the caller's folder and command-line paths mean what the
/// caller meant; a host that names a content root (the test factory, <c>--contentRoot</c>) still wins.
/// </summary>
public static class HostFolders
{
    public static string AppDirectory { get; } = Path.GetDirectoryName(typeof(HostFolders).Assembly.Location)!;

    public static string? ContentRoot(string[] args)
    {
        var named = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        return named ? null : AppDirectory;
    }
}
