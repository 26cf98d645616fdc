using StackExchange.Redis;

namespace NewsPortal.Web.Shared;

/// <summary>
/// A setting the site cannot work with. Its message names the setting and what it should be, which is all an operator
/// needs: the start stops with that one line and exit code 1 rather than a stack trace (see <see cref="StartFailure"/>).
/// </summary>
public sealed class SettingException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

/// <summary>Settings read where an unreadable one is a <see cref="SettingException"/>.</summary>
public static class Setting
{
    /// <summary>A setting holding a list in one value, its items separated by commas (empty when it is not set).</summary>
    public static string[] List(IConfiguration configuration, string setting)
        => (configuration[setting] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// A setting read by <paramref name="read"/>; one it cannot read stops the start naming the setting and what it
    /// should be, rather than a parser's exception with no name (the value is not repeated: it may hold a password).
    /// </summary>
    public static T Read<T>(string setting, string shouldBe, Func<T> read)
    {
        try
        {
            return read();
        }
        // Serilog says a level or sink it cannot read with InvalidOperationException, an assembly it cannot load with
        // FileNotFoundException.
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException or RedisException or FileNotFoundException
            or InvalidOperationException and not SettingException)
        {
            throw new SettingException($"{setting} could not be read as {shouldBe}: {ex.Message}", ex);
        }
    }
}
