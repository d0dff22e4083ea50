namespace Sharpbase.Auth;

/// <summary>Creating superusers, shared by the CLI and first-start configuration.</summary>
internal static class SuperuserAccounts
{
    public static Task<(string? Email, string? Error)> CreateAsync(AuthServices auth, string email, string password, CancellationToken cancellationToken) =>
        CreateAsync(auth.Store, auth.Passwords, auth.Options.Password, auth.Now, email, password, cancellationToken);

    public static async Task<(string? Email, string? Error)> CreateAsync(AccountStore store, PasswordHasher hasher, PasswordOptions rules, DateTime now,
        string email, string password, CancellationToken cancellationToken)
    {
        var normalized = Emails.Normalize(email);
        if (normalized is null)
        {
            return (null, $"'{email}' is not a valid email address");
        }
        if (rules.Check(password) is { } problem)
        {
            return (null, problem);
        }
        if (await store.FindByEmailAsync(AccountKind.Superuser, normalized, cancellationToken) is not null)
        {
            return (null, $"a superuser with the email {normalized} already exists");
        }
        var hash = await hasher.HashAsync(password, cancellationToken);
        await store.CreateSuperuserAsync(normalized, hash, now, cancellationToken);
        return (normalized, null);
    }
}
