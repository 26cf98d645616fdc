namespace NewsPortal.Web.Shared;

/// <summary>
/// Where the app keeps its files. The content root (appsettings.json, App_Data/) is the app's own folder wherever it
/// is started from, so <c>dotnet run</c> can start it in the caller's folder and command-line paths mean what the
/// caller meant; a host that names a content root (the test factory, <c>--contentRoot</c>) still wins.
/// </summary>
public static class HostFolders
{
    public static string AppDirectory { get; } = Path.GetDirectoryName(typeof(HostFolders).Assembly.Location)!;

    /// <summary>
    /// Options for a file only its owner may read (on Unix; Windows has no modes): the store and whatever is copied out
    /// of it (backups, exports) hold password hashes, signing secrets and unpublished stories.
    /// </summary>
    public static FileStreamOptions OwnerOnly(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    /// <summary>
    /// Makes <paramref name="path"/> for its owner only, under a temporary name (an empty file <paramref name="make"/>
    /// fills), giving it its own only once it is whole: a disk that fills or a command that is stopped leaves no
    /// cut-off file that looks finished.
    /// </summary>
    public static async Task MakeWholeAsync(string path, Func<string, Task> make, bool overwrite)
    {
        var partial = path + ".partial";
        File.Delete(partial);
        await using (new FileStream(partial, OwnerOnly(FileMode.CreateNew)))
        {
        }

        try
        {
            await make(partial);
            File.Move(partial, path, overwrite);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>Writes <paramref name="path"/> as UTF-8 text, whole or not at all (<see cref="MakeWholeAsync"/>).</summary>
    public static Task WriteWholeAsync(string path, Func<StreamWriter, Task> write, CancellationToken cancellationToken)
        => MakeWholeAsync(path, async partial =>
        {
            await using var writer = new StreamWriter(partial, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
            await write(writer);
            await writer.FlushAsync(cancellationToken);
        }, overwrite: true);

    public static string? ContentRoot(string[] args)
    {
        var named = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        return named ? null : AppDirectory;
    }
}
