using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Web.Data;

namespace NewsPortal.Tests.Infrastructure;

/// <summary>Runs an action once, just before the next command (a query or a statement) whose SQL holds a given fragment.</summary>
public sealed class CommandHook : DbCommandInterceptor
{
    private sealed record Hook(string Fragment, Func<Task> Action);

    private Hook? _next;

    /// <summary>Puts the hook on the app's store, whichever it is.</summary>
    public void Install(IWebHostBuilder builder)
        => builder.ConfigureTestServices(services => services
            .ConfigureDbContext<NewsDbContext>(options => options.AddInterceptors(this))
            .ConfigureDbContext<PostgresNewsDbContext>(options => options.AddInterceptors(this)));

    /// <summary>Runs <paramref name="action"/> once, before the next command holding <paramref name="fragment"/> is sent.</summary>
    public void Once(string fragment, Func<Task> action) => Volatile.Write(ref _next, new Hook(fragment, action));

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await RunAsync(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await RunAsync(command);
        return result;
    }

    private async Task RunAsync(DbCommand command)
    {
        if (Volatile.Read(ref _next) is { } next && command.CommandText.Contains(next.Fragment, StringComparison.Ordinal)
            && Interlocked.CompareExchange(ref _next, null, next) == next)
        {
            await next.Action();
        }
    }
}
