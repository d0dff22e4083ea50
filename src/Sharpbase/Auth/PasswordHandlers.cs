using Microsoft.AspNetCore.Http;
using Sharpbase.Hosting;

namespace Sharpbase.Auth;

/// <summary>Password change, forgotten passwords, and address verification.</summary>
internal static class PasswordHandlers
{
    private static readonly string[] ChangeMembers = ["current_password", "new_password"];
    private static readonly string[] EmailMember = ["email"];
    private static readonly string[] ResetMembers = ["token", "password"];
    private static readonly string[] TokenMember = ["token"];

    /// <summary>Needs the current password; ends every session (and older token), then opens a new one for this client.</summary>
    public static async Task<IResult> ChangeAsync(HttpContext context, SharpbaseRuntime runtime)
    {
        var auth = runtime.Auth;
        if (context.Features.Get<CallerFeature>() is not { Claims: { } claims })
        {
            return AuthenticationMiddleware.Unauthorized("invalid_token", "sign in first");
        }
        var (body, problem) = await AuthBody.ReadAsync(context, ChangeMembers);
        if (problem is not null)
        {
            return problem;
        }
        string current, next;
        using (body)
        {
            var errors = new Dictionary<string, List<string>>();
            current = body!.String("current_password", errors) ?? string.Empty;
            next = body.String("new_password", errors) ?? string.Empty;
            if (!errors.ContainsKey("new_password") && auth.Options.Password.Check(next) is { } weak)
            {
                errors["new_password"] = [weak];
            }
            if (errors.Count > 0)
            {
                return AuthBody.Invalid(errors);
            }
        }
        var account = await auth.Store.FindByIdAsync(claims.Kind, claims.Subject, context.RequestAborted);
        var check = await auth.Passwords.VerifyAsync(current, account?.PasswordHash, context.RequestAborted);
        if (account is null || !check.Valid)
        {
            return AuthBody.Invalid("current_password", "is wrong");
        }
        var hash = await auth.Passwords.HashAsync(next, context.RequestAborted);
        await auth.Store.SetPasswordAsync(claims.Kind, claims.Subject, hash, revokeSessions: false, auth.Now, context.RequestAborted);
        await auth.RevokeAllAsync(claims.Kind, claims.Subject, context.RequestAborted);
        return await SignIn.CompleteAsync(context, auth, claims.Kind, claims.Subject, context.RequestAborted);
    }

    /// <summary>Always 202, whether or not the address has an account.</summary>
    public static async Task<IResult> ForgotAsync(HttpContext context, SharpbaseRuntime runtime) =>
        await MailIfAccountAsync(context, runtime, "reset", MailKind.PasswordReset);

    /// <summary>Sets a new password with a single-use reset token; ends every session of the account.</summary>
    public static async Task<IResult> ResetAsync(HttpContext context, SharpbaseRuntime runtime)
    {
        var auth = runtime.Auth;
        var (body, problem) = await AuthBody.ReadAsync(context, ResetMembers);
        if (problem is not null)
        {
            return problem;
        }
        string token, password;
        using (body)
        {
            var errors = new Dictionary<string, List<string>>();
            token = body!.String("token", errors) ?? string.Empty;
            password = body.String("password", errors) ?? string.Empty;
            if (!errors.ContainsKey("password") && auth.Options.Password.Check(password) is { } weak)
            {
                errors["password"] = [weak];
            }
            if (errors.Count > 0)
            {
                return AuthBody.Invalid(errors);
            }
        }
        var hash = await auth.Passwords.HashAsync(password, context.RequestAborted);
        if (await auth.Store.ConsumeOneTimeAsync("reset", token, auth.Now, context.RequestAborted) is not { } account)
        {
            return AuthBody.Invalid("token", "is invalid, expired or already used");
        }
        await auth.Store.SetPasswordAsync(account.Kind, account.Id, hash, revokeSessions: false, auth.Now, context.RequestAborted);
        await auth.RevokeAllAsync(account.Kind, account.Id, context.RequestAborted);
        // Following the link proved the mailbox is theirs.
        await auth.MarkVerifiedAsync(account.Id, context.RequestAborted);
        auth.Cache.Invalidate(account.Kind, account.Id);
        return Results.NoContent();
    }

    /// <summary>Always 202; mails a verification link to an account's address.</summary>
    public static async Task<IResult> RequestVerificationAsync(HttpContext context, SharpbaseRuntime runtime) =>
        await MailIfAccountAsync(context, runtime, "verify", MailKind.Verification);

    public static async Task<IResult> VerifyAsync(HttpContext context, SharpbaseRuntime runtime)
    {
        var auth = runtime.Auth;
        var (body, problem) = await AuthBody.ReadAsync(context, TokenMember);
        if (problem is not null)
        {
            return problem;
        }
        string token;
        using (body)
        {
            var errors = new Dictionary<string, List<string>>();
            token = body!.String("token", errors) ?? string.Empty;
            if (errors.Count > 0)
            {
                return AuthBody.Invalid(errors);
            }
        }
        if (await auth.Store.ConsumeOneTimeAsync("verify", token, auth.Now, context.RequestAborted) is not { } account)
        {
            return AuthBody.Invalid("token", "is invalid, expired or already used");
        }
        await auth.MarkVerifiedAsync(account.Id, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> MailIfAccountAsync(HttpContext context, SharpbaseRuntime runtime, string purpose, MailKind kind)
    {
        var auth = runtime.Auth;
        var (body, problem) = await AuthBody.ReadAsync(context, EmailMember);
        if (problem is not null)
        {
            return problem;
        }
        string? email;
        using (body)
        {
            var errors = new Dictionary<string, List<string>>();
            email = Emails.Normalize(body!.String("email", errors));
            if (errors.Count > 0)
            {
                return AuthBody.Invalid(errors);
            }
        }
        if (email is not null && auth.Store.Users is not null)
        {
            // The look-up and the mail happen after the answer, so its timing says nothing.
            _ = Task.Run(async () =>
            {
                var account = await auth.Store.FindByEmailAsync(AccountKind.User, email, CancellationToken.None);
                if (account is { Disabled: false })
                {
                    MailDispatch.Send(auth, purpose, account.Id, email, kind);
                }
            });
        }
        return AccountHandlers.Accepted("if an account has this address, a message is on its way");
    }
}
