using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace NewsPortal.Web.Data;

/// <summary>
/// A PostgreSQL session-level advisory lock held while a node brings the store up to date, on a connection of its
/// own, outside the pool: released when disposed, when that connection closes (had the unlock failed, a pooled one
/// would keep the lock, as pooled connections are not reset), or by the server if the node dies.
/// </summary>
public sealed class PostgresStartupLock : IAsyncDisposable
{
    /// <summary>The lock's number: any 64-bit value no other application on the server uses ("NewsPort" in ASCII).</summary>
    private const long Key = 0x4E657773506F7274;

    private readonly NpgsqlConnection _connection;

    private PostgresStartupLock(NpgsqlConnection connection) => _connection = connection;

    public static async Task<PostgresStartupLock> TakeAsync(NewsDbContext db, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({Key})", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new PostgresStartupLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({Key})", _connection);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
