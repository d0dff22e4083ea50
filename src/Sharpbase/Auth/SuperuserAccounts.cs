namespace Sharpbase.Auth;

/// <summary>Creating superusers, shared by the CLI and first-start configuration.</summary>
internal static class SuperuserAccounts
{
    public static async Task<(string? Email, string? Error)> CreateAsync(AuthServices auth, string email, string password, CancellationToken cancellationToken)
    {
        var normalized = Emails.Normalize(email);
        if (normalized is null)
        {
            return (null, $"'{email}' is not a valid email address");
        }
        if (auth.Options.Password.Check(password) is { } problem)
        {
            return (null, "password " + problem);
        }
        if (await auth.Store.FindByEmailAsync(AccountKind.Superuser, normalized, cancellationToken) is not null)
        {
            return (null, $"a superuser with the email {normalized} already exists");
        }
        var hash = await auth.Passwords.HashAsync(password, cancellationToken);
        await auth.Store.CreateSuperuserAsync(normalized, hash, auth.Now, cancellationToken);
        return (normalized, null);
    }
}
