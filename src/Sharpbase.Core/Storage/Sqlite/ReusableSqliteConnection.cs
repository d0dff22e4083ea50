using Microsoft.Data.Sqlite;

namespace Sharpbase.Storage.Sqlite;

/// <summary>
/// An SQLite connection that stays open and keeps its statements prepared. Microsoft.Data.Sqlite
/// keeps a command's prepared statements only for as long as the command and its connection live
/// (closing the connection, even into its pool, finalizes them), and preparing a statement cost
/// more than running it in a profile of GET by id. So <see cref="SqliteDatabase"/> keeps its own
/// open connections, and each keeps one command per statement text: a statement is prepared once
/// per connection, and each use binds its own values to it. Disposing hands the connection back to
/// its owner when the owner takes it (a reader), and closes it otherwise.
/// </summary>
internal sealed class ReusableSqliteConnection(string connectionString, Func<ReusableSqliteConnection, bool> takeBack, Func<int> generation) : SqliteConnection(connectionString)
{
    // Statements are few shapes generated from the schema; a connection keeps at most this many.
    private const int MaxStatements = 128;

    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private int _generation;
    private bool _handedBack;

    /// <summary>How many executions found their statement already prepared.</summary>
    public long Reuses { get; private set; }

    /// <summary>
    /// The command for <paramref name="text"/>, prepared already when this connection ran it before
    /// (unless the owner has since said to forget its statements, as a schema reload does). It is
    /// this caller's until <see cref="Return"/>; a text in use is given a fresh command.
    /// </summary>
    public SqliteCommand Rent(string text)
    {
        var current = generation();
        if (current != _generation)
        {
            Forget();
            _generation = current;
        }
        if (_statements.Remove(text, out var command))
        {
            Reuses++;
            return command;
        }
        command = CreateCommand();
        command.CommandText = text;
        return command;
    }

    /// <summary>Keeps <paramref name="command"/> for the next use of its text, or disposes it.</summary>
    public void Return(SqliteCommand command)
    {
        if (State == System.Data.ConnectionState.Open && _statements.Count < MaxStatements && _statements.TryAdd(command.CommandText, command))
        {
            command.Transaction = null;
            return;
        }
        command.Dispose();
    }

    /// <summary>Marks the connection as in use again, after its owner took it back.</summary>
    public void Lend() => _handedBack = false;

    /// <summary>Closes the connection for good, whoever owns it.</summary>
    public void CloseForGood()
    {
        Forget();
        base.Dispose(true);
    }

#pragma warning disable CA2215 // Disposing hands the connection back (Dispose(bool) below); the base would close it.
    public override ValueTask DisposeAsync()
#pragma warning restore CA2215
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && State == System.Data.ConnectionState.Open)
        {
            // A second dispose of a connection already handed back must not hand it back twice.
            if (_handedBack)
            {
                return;
            }
            _handedBack = true;
            if (takeBack(this))
            {
                return;
            }
        }
        if (disposing)
        {
            Forget();
        }
        base.Dispose(disposing);
    }

    private void Forget()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }
        _statements.Clear();
    }
}
