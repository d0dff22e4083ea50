using System.Collections;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Sharpbase.Observability;

namespace Sharpbase.Storage;

/// <summary>A data reader that counts the rows read through it and reports them to the statement's statistics when it closes.</summary>
internal sealed class CountedReader(DbDataReader inner, StatementStatistics statistics, StatementShape shape) : DbDataReader
{
    private long _rows;
    private bool _reported;
    private bool _innerDisposed;

    /// <summary>The driver's own reader, for what only it offers.</summary>
    public DbDataReader Inner => inner;

    public override int Depth => inner.Depth;

    public override int FieldCount => inner.FieldCount;

    public override bool HasRows => inner.HasRows;

    public override bool IsClosed => inner.IsClosed;

    public override int RecordsAffected => inner.RecordsAffected;

    public override object this[int ordinal] => inner[ordinal];

    public override object this[string name] => inner[name];

    public override bool Read()
    {
        var read = inner.Read();
        _rows += read ? 1 : 0;
        return read;
    }

    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var read = await inner.ReadAsync(cancellationToken);
        _rows += read ? 1 : 0;
        return read;
    }

    public override bool NextResult() => inner.NextResult();

    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => inner.NextResultAsync(cancellationToken);

    public override bool GetBoolean(int ordinal) => inner.GetBoolean(ordinal);

    public override byte GetByte(int ordinal) => inner.GetByte(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);

    public override char GetChar(int ordinal) => inner.GetChar(ordinal);

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);

    public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);

    public override DateTime GetDateTime(int ordinal) => inner.GetDateTime(ordinal);

    public override decimal GetDecimal(int ordinal) => inner.GetDecimal(ordinal);

    public override double GetDouble(int ordinal) => inner.GetDouble(ordinal);

    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.PublicProperties)]
    public override Type GetFieldType(int ordinal) => inner.GetFieldType(ordinal);

    public override float GetFloat(int ordinal) => inner.GetFloat(ordinal);

    public override Guid GetGuid(int ordinal) => inner.GetGuid(ordinal);

    public override short GetInt16(int ordinal) => inner.GetInt16(ordinal);

    public override int GetInt32(int ordinal) => inner.GetInt32(ordinal);

    public override long GetInt64(int ordinal) => inner.GetInt64(ordinal);

    public override string GetName(int ordinal) => inner.GetName(ordinal);

    public override int GetOrdinal(string name) => inner.GetOrdinal(name);

    public override string GetString(int ordinal) => inner.GetString(ordinal);

    public override Stream GetStream(int ordinal) => inner.GetStream(ordinal);

    public override TextReader GetTextReader(int ordinal) => inner.GetTextReader(ordinal);

    public override T GetFieldValue<T>(int ordinal) => inner.GetFieldValue<T>(ordinal);

    public override Task<T> GetFieldValueAsync<T>(int ordinal, CancellationToken cancellationToken) => inner.GetFieldValueAsync<T>(ordinal, cancellationToken);

    public override object GetValue(int ordinal) => inner.GetValue(ordinal);

    public override int GetValues(object[] values) => inner.GetValues(values);

    public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);

    public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) => inner.IsDBNullAsync(ordinal, cancellationToken);

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    public override void Close()
    {
        Report();
        inner.Close();
    }

    public override async Task CloseAsync()
    {
        Report();
        await inner.CloseAsync();
    }

    // The inner reader is disposed asynchronously (PostgreSQL's may still have rows to skip over the network); the base then finds nothing left to do.
    public override async ValueTask DisposeAsync()
    {
        Report();
        if (!_innerDisposed)
        {
            _innerDisposed = true;
            await inner.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Report();
            if (!_innerDisposed)
            {
                _innerDisposed = true;
                inner.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    private void Report()
    {
        if (!_reported)
        {
            _reported = true;
            statistics.Returned(shape, _rows);
        }
    }
}
