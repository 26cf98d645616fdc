namespace NewsPortal.Web.Shared;

/// <summary>Reads an enum from text a person or client sent.</summary>
public static class EnumName
{
    /// <summary>
    /// The member of <typeparamref name="T"/> named exactly so, case aside: not a number ("0"), a list
    /// ("Published,Draft") or a padded name (" Published"), all of which <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/> takes.
    /// </summary>
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        foreach (var name in Enum.GetNames<T>())
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                value = Enum.Parse<T>(name);
                return true;
            }
        }

        value = default;
        return false;
    }
}
