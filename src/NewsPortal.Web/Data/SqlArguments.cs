using System.Globalization;

namespace NewsPortal.Web.Data;

/// <summary>Arguments of SQL written by hand for <see cref="RawRows.RowsAsync"/> and <c>ExecuteSqlRaw</c>.</summary>
public static class SqlArguments
{
    /// <summary>Adds <paramref name="value"/> to <paramref name="args"/> and returns its placeholder in the SQL: <c>{0}</c>, <c>{1}</c>…</summary>
    public static string Placeholder(this List<object> args, object value)
    {
        args.Add(value);
        return "{" + (args.Count - 1).ToString(CultureInfo.InvariantCulture) + "}";
    }
}
