using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Sharpbase.Errors;
using Sharpbase.Hosting;

namespace Sharpbase.Tests.Errors;

public sealed class ExceptionSummaryTests
{
    private const string Secret = "SELECT password_hash FROM users WHERE email = 'ada@example.com'";

    [Fact]
    public void Describe_Chain_GivesEachTypeAndCode_OutermostFirst_WithoutMessagesOrStackTrace()
    {
        var thrown = Thrown(() => throw new InvalidOperationException(Secret, new SocketException((int)SocketError.ConnectionRefused)));

        var summary = ExceptionSummary.Describe(thrown);

        Assert.Equal("System.InvalidOperationException (80131509) ---> System.Net.Sockets.SocketException (socket ConnectionRefused)", summary);
        Assert.NotNull(thrown.StackTrace);
    }

    [Fact]
    public void Describe_OperatorExceptions_KeepTheirMessage_InnerOnesDoNot()
    {
        var storage = new SharpbaseStorageException("cannot use the database /data/data.db: file is not a database", new SqliteException(Secret, 26, 26));
        var startup = new SharpbaseStartupException("the schema is invalid", new ArgumentException(Secret));

        Assert.Equal("Sharpbase.Hosting.SharpbaseStorageException: cannot use the database /data/data.db: file is not a database ---> Microsoft.Data.Sqlite.SqliteException (sqlite 26/26)",
            ExceptionSummary.Describe(storage));
        Assert.Equal("Sharpbase.Hosting.SharpbaseStartupException: the schema is invalid ---> System.ArgumentException (80070057)", ExceptionSummary.Describe(startup));
    }

    [Fact]
    public void Describe_ChainDeeperThanEight_StopsAtEight()
    {
        Exception exception = new TimeoutException(Secret);
        for (var i = 0; i < 20; i++)
        {
            exception = new InvalidOperationException(Secret, exception);
        }

        var summary = ExceptionSummary.Describe(exception);

        Assert.Equal(8, summary.Split(" ---> ").Length);
        Assert.DoesNotContain(Secret, summary, StringComparison.Ordinal);
    }

    private static InvalidOperationException Thrown(Action action)
    {
        try
        {
            action();
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
        throw new InvalidOperationException("nothing was thrown");
    }
}
