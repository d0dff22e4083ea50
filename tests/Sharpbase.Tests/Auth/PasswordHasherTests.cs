using System.Text.RegularExpressions;
using Sharpbase.Auth;

namespace Sharpbase.Tests.Auth;

public sealed class PasswordHasherTests
{
    // Argon2's smallest accepted cost: tests that are not about the parameters stay fast.
    private static PasswordOptions Cheap(int memoryKiB = 64, int iterations = 1) =>
        new() { MemoryKiB = memoryKiB, Iterations = iterations };

    [Fact]
    public async Task VerifyAsync_RightPassword_Valid()
    {
        using var hasher = new PasswordHasher(Cheap());
        var hash = await hasher.HashAsync("correct horse battery", CancellationToken.None);

        var check = await hasher.VerifyAsync("correct horse battery", hash, CancellationToken.None);

        Assert.Equal(new PasswordCheck(Valid: true, NeedsRehash: false), check);
    }

    [Fact]
    public async Task VerifyAsync_WrongPassword_NotValid()
    {
        using var hasher = new PasswordHasher(Cheap());
        var hash = await hasher.HashAsync("correct horse battery", CancellationToken.None);

        Assert.False((await hasher.VerifyAsync("correct horse batterY", hash, CancellationToken.None)).Valid);
        Assert.False((await hasher.VerifyAsync("", hash, CancellationToken.None)).Valid);
    }

    [Fact]
    public async Task HashAsync_DefaultOptions_PhcStringWithOwaspParameters()
    {
        using var hasher = new PasswordHasher(new PasswordOptions());

        var hash = await hasher.HashAsync("pässwörd-123", CancellationToken.None);

        var match = Regex.Match(hash, @"^\$argon2id\$v=19\$m=19456,t=2,p=1\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$");
        Assert.True(match.Success, hash);
        Assert.Equal(16, Convert.FromBase64String(match.Groups[1].Value + "==").Length);
        Assert.Equal(32, Convert.FromBase64String(match.Groups[2].Value + "=").Length);
        Assert.True((await hasher.VerifyAsync("pässwörd-123", hash, CancellationToken.None)).Valid);
    }

    [Fact]
    public async Task HashAsync_SamePasswordTwice_DifferentSalts()
    {
        using var hasher = new PasswordHasher(Cheap());

        var first = await hasher.HashAsync("same password", CancellationToken.None);
        var second = await hasher.HashAsync("same password", CancellationToken.None);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task VerifyAsync_ParametersChanged_ValidAndNeedsRehash()
    {
        using var old = new PasswordHasher(Cheap(memoryKiB: 64, iterations: 1));
        var hash = await old.HashAsync("long enough", CancellationToken.None);
        using var stronger = new PasswordHasher(Cheap(memoryKiB: 128, iterations: 2));

        var check = await stronger.VerifyAsync("long enough", hash, CancellationToken.None);
        var wrong = await stronger.VerifyAsync("not the one", hash, CancellationToken.None);

        Assert.Equal(new PasswordCheck(Valid: true, NeedsRehash: true), check);
        Assert.Equal(default, wrong);
    }

    [Fact]
    public async Task VerifyAsync_UnknownAccount_NotValid()
    {
        using var hasher = new PasswordHasher(Cheap());

        var check = await hasher.VerifyAsync("any password", null, CancellationToken.None);

        Assert.Equal(default, check);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a hash")]
    [InlineData("$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$c29tZWhhc2hzb21laGFzaHNvbWVoYXNoc29tZWhhcw")]
    [InlineData("$argon2id$v=16$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$c29tZWhhc2hzb21laGFzaHNvbWVoYXNoc29tZWhhcw")]
    [InlineData("$argon2id$v=19$m=64,t=1$c29tZXNhbHRzb21lc2FsdA$c29tZWhhc2hzb21laGFzaHNvbWVoYXNoc29tZWhhcw")]
    [InlineData("$argon2id$v=19$m=-64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$c29tZWhhc2hzb21laGFzaHNvbWVoYXNoc29tZWhhcw")]
    [InlineData("$argon2id$v=19$m=99999999999999,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$c29tZWhhc2hzb21laGFzaHNvbWVoYXNoc29tZWhhcw")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=4$c29tZXNhbHRzb21lc2FsdA$c29tZWhhc2hzb21laGFzaHNvbWVoYXNoc29tZWhhcw")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c2hvcnQ$c29tZWhhc2hzb21laGFzaHNvbWVoYXNoc29tZWhhcw")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$!!notbase64!!")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA==$c29tZWhhc2hzb21laGFzaHNvbWVoYXNoc29tZWhhcw")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$c29tZWhhc2hzb21laGFzaHNvbWVoYXNoc29tZWhhcw$extra")]
    [InlineData("$argon2id$v=19$m=2,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$c29tZWhhc2hzb21laGFzaHNvbWVoYXNoc29tZWhhcw")]
    public async Task VerifyAsync_MalformedHash_NotValidNoThrow(string encoded)
    {
        using var hasher = new PasswordHasher(Cheap());

        var check = await hasher.VerifyAsync("some password", encoded, CancellationToken.None);

        Assert.Equal(default, check);
    }

    [Fact]
    public async Task HashAsync_TooLongPassword_ThrowsInsteadOfTruncating()
    {
        using var hasher = new PasswordHasher(Cheap());

        await Assert.ThrowsAsync<ArgumentException>(() => hasher.HashAsync(new string('a', 129), CancellationToken.None));
    }

    [Fact]
    public async Task HashAsync_AllSlotsTaken_ThrowsBusy()
    {
        var options = Cheap();
        options.MaxConcurrentHashes = 1;
        options.QueueTimeout = TimeSpan.FromMilliseconds(20);
        using var hasher = new PasswordHasher(options);
        var slot = await hasher.EnterSlotAsync(CancellationToken.None);

        await Assert.ThrowsAsync<PasswordHasherBusyException>(() => hasher.HashAsync("waits in vain", CancellationToken.None));
        await Assert.ThrowsAsync<PasswordHasherBusyException>(() => hasher.VerifyAsync("waits in vain", null, CancellationToken.None));

        slot.Dispose();
        Assert.StartsWith("$argon2id$", await hasher.HashAsync("now it runs", CancellationToken.None));
    }
}
