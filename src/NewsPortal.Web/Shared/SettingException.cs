using Microsoft.Extensions.Options;

namespace NewsPortal.Web.Shared;

/// <summary>
/// A setting the site cannot work with. Its message names the setting and what it should be, which is all an operator
/// needs: the start stops with that one line and exit code 1 rather than a stack trace (see <see cref="IsSetting"/>).
/// </summary>
public sealed class SettingException(string message, Exception? inner = null) : InvalidOperationException(message, inner)
{
    /// <summary>Whether the start failed on settings alone: ours, or options refused by their validation.</summary>
    public static bool IsSetting(Exception ex) => ex switch
    {
        SettingException or OptionsValidationException => true,
        AggregateException all => all.InnerExceptions.Count > 0 && all.InnerExceptions.All(IsSetting),
        _ => false,
    };
}
