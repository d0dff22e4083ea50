using Microsoft.Extensions.Logging;
using Sharpbase.Mail;
using Sharpbase.Records;
using Sharpbase.Storage;

namespace Sharpbase.Auth;

/// <summary>The live parts of accounts, created once the database is open.</summary>
internal sealed class AuthServices : IDisposable
{
    public AuthServices(AuthOptions options, MailOptions mail, string dataDirectory, string defaultPublicUrl, Database database,
        RecordsEngine engine, TimeProvider time, ILoggerFactory loggers)
    {
        Options = options;
        Time = time;
        Engine = engine;
        PublicUrl = options.PublicUrl ?? defaultPublicUrl;
        Store = new AccountStore(database, () => engine.Schema);
        Cache = new AccountCache(Store);
        Passwords = new PasswordHasher(options.Password);
        Keys = SigningKeys.LoadOrCreate(dataDirectory, options.Jwt, time);
        Tokens = new AccessTokens(Keys, options.Jwt, time);
        Totp = new TotpVerifier(time);
        Throttle = new LoginThrottle(options, time);
        Mail = new MailSender(mail, loggers.CreateLogger<MailSender>(), time);
        Logger = loggers.CreateLogger<AuthServices>();
        ApiKeys = new ApiKeyStore(database, time);
        Mfa = new MfaStore(database);
        engine.Changed += OnChanged;
    }

    public AuthOptions Options { get; }

    public TimeProvider Time { get; }

    public RecordsEngine Engine { get; }

    public string PublicUrl { get; }

    public AccountStore Store { get; }

    public AccountCache Cache { get; }

    public PasswordHasher Passwords { get; }

    public SigningKeys Keys { get; }

    public AccessTokens Tokens { get; }

    public TotpVerifier Totp { get; }

    public LoginThrottle Throttle { get; }

    public MailSender Mail { get; }

    public ILogger Logger { get; }

    public ApiKeyStore ApiKeys { get; }

    public MfaStore Mfa { get; }

    public DateTime Now => Time.GetUtcNow().UtcDateTime;

    /// <summary>Loads what the per-request checks need from before this start.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) =>
        Cache.LoadRevokedAsync(Now - Options.Jwt.AccessTokenLifetime - JwtOptions.MaxClockSkew, cancellationToken);

    /// <summary>Ends every session of an account and makes its access tokens fail from the next request on.</summary>
    public async Task RevokeAllAsync(string kind, string id, CancellationToken cancellationToken)
    {
        Cache.Revoke(await Store.RevokeAllAsync(kind, id, Now, cancellationToken));
        Cache.Invalidate(kind, id);
    }

    /// <summary>Marks the address verified; lists and caches see the change like any other write.</summary>
    public async Task MarkVerifiedAsync(string id, CancellationToken cancellationToken)
    {
        await Store.MarkVerifiedAsync(id, cancellationToken);
        Engine.Touch(new RecordChange(Store.Users!.Name, id, BatchAction.Update));
    }

    public void Dispose()
    {
        Engine.Changed -= OnChanged;
        Passwords.Dispose();
    }

    // A superuser editing or deleting an account (disabling it, changing its roles) takes effect on
    // that account's very next request.
    private void OnChanged(RecordChange change)
    {
        if (Store.Users is { } users && change.Collection == users.Name)
        {
            Cache.Invalidate(AccountKind.User, change.Id);
        }
    }
}
