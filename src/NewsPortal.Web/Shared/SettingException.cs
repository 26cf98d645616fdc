namespace NewsPortal.Web.Shared;

/// <summary>
/// A setting the site cannot work with. Its message names the setting and what it should be, which is all an operator
/// needs: the start stops with that one line and exit code 1 rather than a stack trace (see <see cref="StartFailure"/>).
/// </summary>
public sealed class SettingException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
