using Microsoft.Extensions.Options;
using NewsPortal.Web.Data;
using Serilog.Core;
using Serilog.Events;

namespace NewsPortal.Web.Shared;

/// <summary>
/// Why the site or a command could not start, in one line for an operator, when the cause is theirs to put right
/// rather than a fault in the code: a setting it cannot work with, an address another program holds, or a store out
/// of reach, full, or refusing it. Null otherwise, and then the stack trace is what helps.
/// </summary>
public static partial class StartFailure
{
    public static string? Explain(Exception ex)
    {
        if (IsSetting(ex))
        {
            return ex is AggregateException all ? string.Join(" ", all.InnerExceptions.Select(e => Plain(e.Message))) : Plain(ex.Message);
        }

        // Kestrel's "Failed to bind to address http://127.0.0.1:5000: address already in use.", or a port the process
        // may not open. Checked before the store: a socket's failure would otherwise read as the store out of reach.
        if (StoreDialect.CausesOf(ex).OfType<IOException>().FirstOrDefault(e => e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException
                or System.Net.Sockets.SocketException) is { } bind)
        {
            var detail = bind.Message.Contains(bind.InnerException!.Message, StringComparison.OrdinalIgnoreCase) ? bind.Message : $"{bind.Message} {bind.InnerException.Message}.";
            return $"it cannot listen where it was told to ({detail}); stop the program that holds the address, or give the site another with --urls or ASPNETCORE_URLS";
        }

        var cause = StoreDialect.CausesOf(ex).Last().Message;
        return StoreDialect.IsOutOfSpace(ex) ? $"the store's disk is full ({cause})"
            : StoreDialect.IsUnavailable(ex) ? $"the store is out of reach or held by another writer ({cause}); start again once it answers"
            : StoreDialect.Refusal(ex);
    }

    /// <summary>
    /// The configuration binder's message in an operator's words: "Failed to convert configuration value 'abc' at
    /// 'Cache:DurationSeconds' to type 'System.Int32'" becomes "Cache:DurationSeconds must be a whole number (up to
    /// 2,147,483,647); it is 'abc'." Other messages, and types without plain words here, are left as they are.
    /// </summary>
    private static string Plain(string message)
    {
        if (UnconvertedSetting().Match(message) is not { Success: true } match)
        {
            return message;
        }

        string? kind = match.Groups["type"].Value switch
        {
            "System.Int32" => "a whole number (up to 2,147,483,647)",
            "System.Int64" => "a whole number",
            "System.Double" or "System.Single" or "System.Decimal" => "a number such as 2.5",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a length of time such as 00:05:00",
            _ => null,
        };
        return kind is null ? message : $"{match.Groups["path"].Value} must be {kind}; it is '{match.Groups["value"].Value}'.";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']*)' to type '(?<type>[^']*)'\.?$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex UnconvertedSetting();

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

    /// <summary>
    /// The host's own "Hosting failed to start" report, with its stack trace: Program logs the same failure once,
    /// explained in one line where it can be.
    /// </summary>
    public static bool IsHostsOwnReport(LogEvent logEvent)
        => logEvent.Properties.TryGetValue(Constants.SourceContextPropertyName, out var source)
            && source is ScalarValue { Value: "Microsoft.Extensions.Hosting.Internal.Host" }
            && logEvent.Properties.TryGetValue("EventId", out var id) && id is StructureValue eventId
            && eventId.Properties.Any(p => p.Name == "Name" && p.Value is ScalarValue { Value: "HostedServiceStartupFaulted" });
}
