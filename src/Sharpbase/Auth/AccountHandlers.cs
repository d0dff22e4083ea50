using Sharpbase.Rules;
using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Sharpbase.Errors;
using Sharpbase.Hosting;
using Sharpbase.Observability;
using Sharpbase.Records;
using Sharpbase.Schema;

namespace Sharpbase.Auth;

/// <summary>Register, sign in, refresh, sign out, and who am I.</summary>
internal static class AccountHandlers
{
    private static readonly string[] Credentials = ["email", "password"];
    private static readonly string[] RefreshMembers = ["refresh_token"];
    private static readonly string[] LogoutMembers = ["all"];

    /// <summary>
    /// Creates an account. The answer is 202 whether the address was free or taken, so registration
    /// cannot be used to find out who has an account; the mailbox owner is told which it was.
    /// </summary>
    public static async Task<IResult> RegisterAsync(HttpContext context, SharpbaseRuntime runtime)
    {
        var auth = runtime.Auth;
        if (auth.Store.Users is not { } users)
        {
            return Problem.NotFound("this schema has no auth collection");
        }
        var (body, problem) = await AuthBody.ReadAsync(context, Credentials, allowOthers: true);
        if (problem is not null)
        {
            return problem;
        }
        using (body)
        {
            var errors = new Dictionary<string, List<string>>();
            var email = Emails.Normalize(body!.String("email", errors));
            var password = body.String("password", errors);
            if (email is null && !errors.ContainsKey("email"))
            {
                errors["email"] = ["must be a valid email address"];
            }
            if (password is not null && auth.Options.Password.Check(password) is { } weak)
            {
                errors["password"] = [weak];
            }
            // The server chooses the id too: a caller's could be a superuser's (whose records' @auth.id
            // defaults would then point at this account) or a deleted account's (whose leftover
            // tokens and keys would then act as this one), and a taken id would answer 409, not 202.
            foreach (var name in AuthFields.BuiltIns.Skip(1).Select(f => f.Name).Prepend(SystemFields.Id).Where(n => body.Root.TryGetProperty(n, out _)))
            {
                errors[name] = ["is read-only"];
            }
            if (errors.Count > 0)
            {
                return AuthBody.Invalid(errors);
            }
            // Hashing happens on both paths, so the answer takes as long for a taken address.
            var hash = await auth.Passwords.HashAsync(password!, context.RequestAborted);
            using var record = RecordBody(body.Root, email!);
            var created = await auth.Engine.CreateWithAsync(users.Name, record.RootElement, new CallerContext(null, true, auth.Now),
                (connection, transaction, result) => AccountStore.InsertCredentialsAsync(connection, transaction, AccountKind.User, result.Id!, hash, context.RequestAborted),
                context.RequestAborted);
            var taken = created.Status == RecordStatus.Conflict && created.Errors?.ByField.ContainsKey("email") == true;
            if (!created.Succeeded && !taken)
            {
                return Problem.FromRecord(created, "not found");
            }
            var purpose = taken ? "reset" : "verify";
            var account = taken ? (await auth.Store.FindByEmailAsync(AccountKind.User, email!, context.RequestAborted))?.Id : created.Id;
            if (account is not null)
            {
                MailDispatch.Send(auth, purpose, account, email!, taken ? MailKind.RegistrationAttempt : MailKind.Verification);
            }
            return Accepted("registration received; check your mailbox");
        }
    }

    public static Task<IResult> LoginAsync(HttpContext context, SharpbaseRuntime runtime) => SignInAsync(context, runtime, AccountKind.User);

    public static Task<IResult> SuperuserLoginAsync(HttpContext context, SharpbaseRuntime runtime) => SignInAsync(context, runtime, AccountKind.Superuser);

    public static async Task<IResult> RefreshAsync(HttpContext context, SharpbaseRuntime runtime)
    {
        using var span = Spans.Start("auth.refresh");
        var auth = runtime.Auth;
        var (body, problem) = await AuthBody.ReadAsync(context, RefreshMembers);
        if (problem is not null)
        {
            Spans.Tag(span, Spans.AuthResult, "invalid_request");
            return problem;
        }
        using (body)
        {
            var errors = new Dictionary<string, List<string>>();
            var token = body!.String("refresh_token", errors);
            if (errors.Count > 0)
            {
                Spans.Tag(span, Spans.AuthResult, "invalid_request");
                return AuthBody.Invalid(errors);
            }
            var outcome = await auth.Store.RotateAsync(token!, auth.Now, auth.Options.RefreshTokenLifetime, context.RequestAborted);
            if (outcome.Status == RotationStatus.Reused)
            {
                auth.Cache.Revoke([outcome.SessionId!]);
            }
            if (outcome.Status != RotationStatus.Rotated)
            {
                Spans.Tag(span, Spans.AuthResult, outcome.Status == RotationStatus.Reused ? "reused" : "invalid");
                return AuthenticationMiddleware.Unauthorized("invalid_grant", "the refresh token is invalid, expired or already used");
            }
            var state = await auth.Cache.GetAsync(outcome.Kind!, outcome.AccountId!, context.RequestAborted);
            if (state is null || state.Disabled)
            {
                Spans.Tag(span, Spans.AuthResult, "disabled");
                return AuthenticationMiddleware.Unauthorized("invalid_grant", "the refresh token is invalid, expired or already used");
            }
            if (span is { IsAllDataRequested: true })
            {
                span.SetTag(Spans.AuthAccountKind, outcome.Kind);
                span.SetTag(Spans.AuthResult, "rotated");
            }
            return await SignIn.RespondAsync(context, auth, outcome.Kind!, outcome.AccountId!, outcome.SessionId!, outcome.RefreshToken!, state.TokenVersion, context.RequestAborted);
        }
    }

    public static async Task<IResult> LogoutAsync(HttpContext context, SharpbaseRuntime runtime)
    {
        var auth = runtime.Auth;
        if (context.Features.Get<CallerFeature>() is not { Claims: { } claims })
        {
            return AuthenticationMiddleware.Unauthorized("invalid_token", "sign in first: send the access token of the session to end");
        }
        var all = false;
        // No body means this session; an empty one (Content-Length: 0) too, even when a client labels it JSON.
        if (context.Request.ContentLength is > 0 || (context.Request.ContentLength is null && context.Request.ContentType is not null))
        {
            var (body, problem) = await AuthBody.ReadAsync(context, LogoutMembers);
            if (problem is not null)
            {
                return problem;
            }
            using (body)
            {
                var errors = new Dictionary<string, List<string>>();
                all = body!.Boolean("all", errors);
                if (errors.Count > 0)
                {
                    return AuthBody.Invalid(errors);
                }
            }
        }
        if (all)
        {
            await auth.RevokeAllAsync(claims.Kind, claims.Subject, context.RequestAborted);
        }
        else if (await auth.Store.RevokeSessionAsync(claims.Kind, claims.Subject, claims.SessionId, auth.Now, context.RequestAborted) is { } ended)
        {
            auth.Cache.Revoke([ended]);
        }
        return Results.NoContent();
    }

    public static async Task<IResult> MeAsync(HttpContext context, SharpbaseRuntime runtime)
    {
        var auth = runtime.Auth;
        if (context.Features.Get<CallerFeature>() is not { } caller || caller.Caller.AuthId is null)
        {
            return AuthenticationMiddleware.Unauthorized("invalid_token", "sign in first");
        }
        var kind = caller.Caller.IsSuperuser ? AccountKind.Superuser : AccountKind.User;
        var buffer = new ArrayBufferWriter<byte>(512);
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            await SignIn.WriteAccountAsync(writer, auth, kind, caller.Caller.AuthId, context.RequestAborted);
            writer.WriteEndObject();
        }
        context.Response.Headers.CacheControl = "private, no-store";
        return Results.Bytes(buffer.WrittenMemory, "application/json");
    }

    /// <summary>
    /// Email and password. Unknown address, wrong password and disabled account all get the same 401,
    /// after the same amount of hashing work; repeated failures wait, then lock, per account and address.
    /// </summary>
    private static async Task<IResult> SignInAsync(HttpContext context, SharpbaseRuntime runtime, string kind)
    {
        using var span = Spans.Start("auth.sign_in");
        Spans.Tag(span, Spans.AuthAccountKind, kind);
        var auth = runtime.Auth;
        var (body, problem) = await AuthBody.ReadAsync(context, Credentials);
        if (problem is not null)
        {
            Spans.Tag(span, Spans.AuthResult, "invalid_request");
            return problem;
        }
        string email, password;
        using (body)
        {
            var errors = new Dictionary<string, List<string>>();
            var given = body!.String("email", errors);
            password = body.String("password", errors) ?? string.Empty;
            if (errors.Count > 0)
            {
                Spans.Tag(span, Spans.AuthResult, "invalid_request");
                return AuthBody.Invalid(errors);
            }
            email = Emails.Normalize(given) ?? given!.Trim().ToLowerInvariant();
        }
        var address = Protection.ClientAddress.Of(context);
        var wait = await auth.Throttle.RetryAfterAsync(kind + ":" + email, address);
        if (wait > TimeSpan.Zero)
        {
            Spans.Tag(span, Spans.AuthResult, "throttled");
            return new Problem(StatusCodes.Status429TooManyRequests, ProblemCodes.TooManyAttempts, "too many failed sign-ins; wait before trying again")
            {
                RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)),
            };
        }
        var account = await auth.Store.FindByEmailAsync(kind, email, context.RequestAborted);
        var check = await auth.Passwords.VerifyAsync(password, account?.PasswordHash, context.RequestAborted);
        if (account is null || !check.Valid || account.Disabled)
        {
            await auth.Throttle.FailedAsync(kind + ":" + email, address);
            Spans.Tag(span, Spans.AuthResult, "invalid_credentials");
            return new Problem(StatusCodes.Status401Unauthorized, ProblemCodes.InvalidCredentials, "the email or password is wrong");
        }
        await auth.Throttle.SucceededAsync(kind + ":" + email);
        if (check.NeedsRehash)
        {
            await auth.Store.SetPasswordAsync(kind, account.Id, await auth.Passwords.HashAsync(password, context.RequestAborted), false, auth.Now, context.RequestAborted);
        }
        if (account.MfaEnabled)
        {
            var mfaToken = await auth.Store.IssueOneTimeAsync(MfaEndpoints.TokenPurpose, kind, account.Id, auth.Now, auth.Options.MfaTokenLifetime, context.RequestAborted);
            context.Response.Headers.CacheControl = "no-store";
            Spans.Tag(span, Spans.AuthResult, "mfa_required");
            return Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(new MfaChallenge(true, mfaToken), AuthJsonContext.Default.MfaChallenge), "application/json");
        }
        Spans.Tag(span, Spans.AuthResult, "signed_in");
        return await SignIn.CompleteAsync(context, auth, kind, account.Id, context.RequestAborted);
    }

    // The record part of a registration: every member but the password, with the normalised address.
    private static JsonDocument RecordBody(JsonElement root, string email)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("password" or "email"))
                {
                    property.WriteTo(writer);
                }
            }
            writer.WriteString("email", email);
            writer.WriteEndObject();
        }
        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    internal static IResult Accepted(string detail)
    {
        return Results.Json(new AcceptedAnswer("accepted", detail), AuthJsonContext.Default.AcceptedAnswer, statusCode: StatusCodes.Status202Accepted);
    }
}
