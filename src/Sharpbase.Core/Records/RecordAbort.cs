namespace Sharpbase.Records;

/// <summary>
/// Carries an expected failure (validation, conflict, not found) out of a write transaction so that
/// the transaction rolls back; caught by the engine and returned as a result, never to a transport.
/// </summary>
internal sealed class RecordAbort(RecordResult result, int index = -1) : Exception
{
    public RecordResult Result { get; } = result;

    public int Index { get; } = index;
}
