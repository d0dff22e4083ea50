namespace Sharpbase.Mail;

/// <summary>Admits at most <c>limit</c> sends in any sliding minute, across all recipients.</summary>
internal sealed class MailSendWindow
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // A ring of the last `limit` admitted send times; the slot at _next is the oldest of them.
    private readonly DateTimeOffset[] _sends;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private int _next;

    public MailSendWindow(int limit, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _sends = new DateTimeOffset[limit];
        Array.Fill(_sends, DateTimeOffset.MinValue);
        _time = time;
    }

    public bool TryAdmit()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (now - _sends[_next] < Window)
            {
                return false;
            }

            _sends[_next] = now;
            _next = (_next + 1) % _sends.Length;
            return true;
        }
    }
}
