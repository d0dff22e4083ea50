namespace Sharpbase.Auth;

/// <summary>Accounts and sessions; configuration section <c>auth</c> (e.g. <c>SHARPBASE__AUTH__PUBLICURL</c>).</summary>
public sealed class AuthOptions
{
    /// <summary>
    /// The public base URL of the API (or of the app that handles links), used to build links in
    /// mail. Never taken from a request's Host header. Default: the address the server listens on.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The name used in mail and in authenticator apps ("Sharpbase").</summary>
    public string AppName { get; set; } = "Sharpbase";

    /// <summary>The path, under <see cref="PublicUrl"/>, that verification links open (<c>auth/verify</c>); the token is its <c>token</c> parameter.</summary>
    public string VerifyPath { get; set; } = "auth/verify";

    /// <summary>The path, under <see cref="PublicUrl"/>, that reset links open (<c>auth/password/reset</c>).</summary>
    public string ResetPath { get; set; } = "auth/password/reset";

    /// <summary>How long a session lasts without being refreshed (30 days).</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a password reset link works (30 minutes).</summary>
    public TimeSpan ResetTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a verification link works (24 hours).</summary>
    public TimeSpan VerifyTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long the second sign-in step may take after the password (5 minutes).</summary>
    public TimeSpan MfaTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Failed sign-ins per account within <see cref="ThrottleWindow"/> before each attempt waits (5).</summary>
    public int FailuresBeforeDelay { get; set; } = 5;

    /// <summary>Failed sign-ins per account within <see cref="ThrottleWindow"/> before the account locks for the window (20).</summary>
    public int FailuresBeforeLock { get; set; } = 20;

    /// <summary>Failed sign-ins per client address (IPv6 per /64) within the window before it is refused (100).</summary>
    public int FailuresPerAddress { get; set; } = 100;

    /// <summary>The throttling window (15 minutes); a lock never outlasts it.</summary>
    public TimeSpan ThrottleWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Access tokens.</summary>
    public JwtOptions Jwt { get; set; } = new();

    /// <summary>Password rules and hashing cost.</summary>
    public PasswordOptions Password { get; set; } = new();
}
