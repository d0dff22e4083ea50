using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Sharpbase.Hosting;

namespace Sharpbase.Errors;

/// <summary>
/// What a log may say about an exception: its type and a numeric or standard code, for it and each
/// inner exception; never a stack trace, and a message only where Sharpbase wrote it for the operator
/// (a startup or storage failure, which the command line prints as well). Other messages can carry
/// SQL, values or paths, so they stay out.
/// </summary>
internal static class ExceptionSummary
{
    // Deep enough for any real chain (Sharpbase's storage error around a database error around a socket error).
    private const int MaxDepth = 8;

    /// <summary>A stable code: the SQLite result codes, PostgreSQL's SQLSTATE, a socket error, else the HRESULT.</summary>
    public static string Code(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            Microsoft.Data.Sqlite.SqliteException sqlite => $"sqlite {sqlite.SqliteErrorCode}/{sqlite.SqliteExtendedErrorCode}",
            Npgsql.PostgresException postgres => "postgresql " + postgres.SqlState,
            System.Data.Common.DbException db => "db " + db.ErrorCode.ToString(CultureInfo.InvariantCulture),
            SocketException socket => "socket " + socket.SocketErrorCode,
            _ => exception.HResult.ToString("x8", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// The chain, outermost first: <c>Sharpbase.Hosting.SharpbaseStorageException: cannot use the
    /// database … ---&gt; Npgsql.NpgsqlException (80004005) ---&gt; System.Net.Sockets.SocketException (socket ConnectionRefused)</c>.
    /// </summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = new StringBuilder();
        var depth = 0;
        for (Exception? current = exception; current is not null && depth < MaxDepth; current = current.InnerException, depth++)
        {
            if (depth > 0)
            {
                text.Append(" ---> ");
            }
            text.Append(current.GetType().FullName);
            if (current is SharpbaseStartupException or SharpbaseStorageException)
            {
                text.Append(": ").Append(current.Message);
            }
            else
            {
                text.Append(" (").Append(Code(current)).Append(')');
            }
        }
        return text.ToString();
    }
}
