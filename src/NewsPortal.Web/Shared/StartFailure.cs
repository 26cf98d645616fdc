using Microsoft.Extensions.Options;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Shared;

/// <summary>
/// Why the site or a command could not start, in one line for an operator, when the cause is theirs to put right
/// rather than a fault in the code: a setting it cannot work with, or a store out of reach, full, or refusing it. Null otherwise,
/// and then the stack trace is what helps.
/// </summary>
public static class StartFailure
{
    public static string? Explain(Exception ex)
    {
        if (IsSetting(ex))
        {
            return ex is AggregateException all ? string.Join(" ", all.InnerExceptions.Select(e => e.Message)) : ex.Message;
        }

        var cause = StoreDialect.CausesOf(ex).Last().Message;
        return StoreDialect.IsOutOfSpace(ex) ? $"the store's disk is full ({cause})"
            : StoreDialect.IsUnavailable(ex) ? $"the store is out of reach or held by another writer ({cause}); start again once it answers"
            : StoreDialect.Refusal(ex);
    }

    /// <summary>Whether the start failed on settings alone: ours, or options refused by their validation.</summary>
    private static bool IsSetting(Exception ex) => ex switch
    {
        SettingException or OptionsValidationException => true,
        // "Failed to convert configuration value 'abc' at 'Cache:DurationSeconds' to type 'System.Int32'": it names the
        // setting, and only typed values (numbers, switches) are converted, never a password.
        InvalidOperationException { InnerException: ArgumentException or FormatException or OverflowException } binding
            when binding.TargetSite?.DeclaringType == typeof(ConfigurationBinder) => true,
        AggregateException all => all.InnerExceptions.Count > 0 && all.InnerExceptions.All(IsSetting),
        _ => false,
    };
}
