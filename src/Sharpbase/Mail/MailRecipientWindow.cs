namespace Sharpbase.Mail;

/// <summary>
/// Admits at most <c>limit</c> sends to one recipient (compared case-insensitively) in any sliding
/// hour, so nobody can fill one mailbox with Sharpbase's mail, nor spend the quota of every
/// recipient (<see cref="MailSendWindow"/>) on a single address. Only admitted sends are kept.
/// </summary>
internal sealed class MailRecipientWindow
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    // Past this many recipients, those with no send left in the window are dropped.
    private const int PruneAbove = 10_000;

    private readonly Dictionary<string, Queue<DateTimeOffset>> _sends = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _limit;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public MailRecipientWindow(int limit, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _limit = limit;
        _time = time;
    }

    /// <summary>
    /// Admits a send to <paramref name="recipient"/> when it is under its limit and
    /// <paramref name="alsoAdmitted"/> (the quota of every recipient) admits it too; only then is it counted.
    /// </summary>
    public RecipientAdmission TryAdmit(string recipient, Func<bool> alsoAdmitted)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_sends.Count >= PruneAbove)
            {
                Prune(now);
            }
            var sends = _sends.GetValueOrDefault(recipient);
            while (sends is { Count: > 0 } && now - sends.Peek() >= Window)
            {
                sends.Dequeue();
            }
            if (sends?.Count >= _limit)
            {
                return RecipientAdmission.RecipientFull;
            }
            if (!alsoAdmitted())
            {
                return RecipientAdmission.AllFull;
            }
            if (sends is null)
            {
                sends = new Queue<DateTimeOffset>(_limit);
                _sends[recipient] = sends;
            }
            sends.Enqueue(now);
            return RecipientAdmission.Admitted;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (recipient, sends) in _sends)
        {
            if (sends.Count == 0 || now - sends.Last() >= Window)
            {
                _sends.Remove(recipient);
            }
        }
    }
}

/// <summary>What <see cref="MailRecipientWindow.TryAdmit"/> decided.</summary>
internal enum RecipientAdmission
{
    Admitted,

    /// <summary>The recipient had its limit of mails in the last hour.</summary>
    RecipientFull,

    /// <summary>The quota over all recipients was spent.</summary>
    AllFull,
}
