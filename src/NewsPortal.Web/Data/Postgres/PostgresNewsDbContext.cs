using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace NewsPortal.Web.Data;

/// <summary>
/// The store on PostgreSQL: the same model, with migrations of its own (Data/Postgres/Migrations). Times are kept as
/// SQLite keeps them, without a zone: the UTC columns hold UTC and <c>DocumentDate</c> the wall clock as written, so
/// both providers read back the same values.
/// </summary>
public sealed class PostgresNewsDbContext(DbContextOptions<PostgresNewsDbContext> options) : NewsDbContext(options)
{
    /// <summary>
    /// Npgsql's own rule refuses a UTC time for a column without a zone; the portal's times are all written as they
    /// stand, as they are on SQLite. And the last day .NET knows (an archive of 9999-12) is that date, not PostgreSQL's
    /// "infinity". Call before Npgsql is first used in the process.
    /// </summary>
    public static void UseTimesWithoutZones()
    {
        AppContext.SetSwitch("Npgsql.EnableLegacyTimestampBehavior", true);
        AppContext.SetSwitch("Npgsql.DisableDateTimeInfinityConversions", true);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveColumnType("timestamp without time zone");
        configurationBuilder.Properties<DateTime?>().HaveColumnType("timestamp without time zone");
    }
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model without a server (adding migrations, checking for changes).</summary>
public sealed class PostgresNewsDbContextFactory : IDesignTimeDbContextFactory<PostgresNewsDbContext>
{
    public PostgresNewsDbContext CreateDbContext(string[] args)
    {
        PostgresNewsDbContext.UseTimesWithoutZones();
        return new(new DbContextOptionsBuilder<PostgresNewsDbContext>().UseNpgsql("Host=localhost;Database=newsportal_design").Options);
    }
}
