namespace NewsPortal.Web.Shared;

/// <summary>
/// A 64-bit FNV-1a hash of text that is the same in every process and version (unlike string.GetHashCode), for
/// keys the store indexes in place of long text: the index stays small and the caller compares the text itself.
/// </summary>
public static class StableHash
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static long Of(params ReadOnlySpan<string> parts)
    {
        var hash = Offset;
        foreach (var part in parts)
        {
            foreach (var c in part)
            {
                hash = (hash ^ (byte)c) * Prime;
                hash = (hash ^ (byte)(c >> 8)) * Prime;
            }

            // A separator no text contains, so ("ab", "c") and ("a", "bc") differ.
            hash = (hash ^ 0xFF) * Prime;
            hash = (hash ^ 0xFF) * Prime;
        }

        return unchecked((long)hash);
    }
}
