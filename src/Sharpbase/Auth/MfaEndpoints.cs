using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Sharpbase.Errors;
using Sharpbase.Hosting;

namespace Sharpbase.Auth;

/// <summary>
/// TOTP second factor, <c>/auth/mfa/totp/*</c>: set-up (secret and otpauth URI), enable with a first
/// code (answers the recovery codes, once), disable, and the second sign-in step.
/// </summary>
internal static class MfaEndpoints
{
    /// <summary>The purpose of the single-use token login hands out when a second factor is due.</summary>
    public const string TokenPurpose = "mfa";

    private const int RecoveryCodeCount = 10;

    public static IEndpointRouteBuilder MapMfa(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var totp = endpoints.MapGroup("/auth/mfa/totp").WithTags("auth");
        totp.MapPost("/setup", SetupAsync).WithName("mfa-totp-setup").WithSummary("Start TOTP set-up: a new secret and its otpauth URI");
        totp.MapPost("/enable", EnableAsync).WithName("mfa-totp-enable").WithSummary("Turn TOTP on with a first code; answers the recovery codes once");
        totp.MapPost("/disable", DisableAsync).WithName("mfa-totp-disable").WithSummary("Turn TOTP off, proven by a code, a recovery code or the password");
        totp.MapPost("/login", LoginAsync).WithName("mfa-totp-login").WithSummary("Second sign-in step: the token from login and a code or recovery code");
        return endpoints;
    }

    private static async Task<IResult> SetupAsync(HttpContext context, SharpbaseRuntime runtime)
    {
        if (SignedInCaller.Require(context, out var claims) is { } refusal)
        {
            return refusal;
        }
        var auth = runtime.Auth;
        var cancellationToken = context.RequestAborted;
        var account = await auth.Store.FindByIdAsync(claims.Kind, claims.Subject, cancellationToken);
        if (account is null)
        {
            return AuthenticationMiddleware.Unauthorized("invalid_token", "the account no longer exists");
        }
        var secret = TotpVerifier.NewSecret();
        if (!await auth.Mfa.SetPendingSecretAsync(claims.Kind, claims.Subject, secret, cancellationToken))
        {
            return AlreadyEnabled();
        }
        var uri = TotpVerifier.OtpAuthUri(secret, auth.Options.AppName, account.Email);
        return NoStoreJson.Result(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteString("secret", secret);
            writer.WriteString("otpauth_uri", uri);
        });
    }

    private static async Task<IResult> EnableAsync(HttpContext context, SharpbaseRuntime runtime)
    {
        if (SignedInCaller.Require(context, out var claims) is { } refusal)
        {
            return refusal;
        }
        var (body, problem) = await AuthBody.ReadAsync(context, ["code"]);
        if (problem is not null)
        {
            return problem;
        }
        string? code;
        var errors = new Dictionary<string, List<string>>();
        using (body)
        {
            code = body!.String("code", errors);
        }
        if (errors.Count > 0)
        {
            return AuthBody.Invalid(errors);
        }
        var auth = runtime.Auth;
        var cancellationToken = context.RequestAborted;
        var state = await auth.Mfa.GetAsync(claims.Kind, claims.Subject, cancellationToken);
        if (state is { Enabled: true })
        {
            return AlreadyEnabled();
        }
        if (state?.Secret is not { } secret)
        {
            return new Problem(StatusCodes.Status409Conflict, ProblemCodes.Conflict, "TOTP has not been set up; call /auth/mfa/totp/setup first");
        }
        if (!auth.Totp.TryVerify(secret, Digits(code!), state.LastStep, out var step))
        {
            return AuthBody.Invalid("code", "is not the current code of the authenticator");
        }
        var codes = TotpVerifier.NewRecoveryCodes(RecoveryCodeCount);
        if (!await auth.Mfa.EnableAsync(claims.Kind, claims.Subject, secret, step, [.. codes.Select(SecureTokens.Hash)], cancellationToken))
        {
            return new Problem(StatusCodes.Status409Conflict, ProblemCodes.Conflict, "TOTP set-up changed meanwhile; set it up again");
        }
        return NoStoreJson.Result(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartArray("recovery_codes");
            foreach (var recoveryCode in codes)
            {
                writer.WriteStringValue(recoveryCode);
            }
            writer.WriteEndArray();
        });
    }

    private static async Task<IResult> DisableAsync(HttpContext context, SharpbaseRuntime runtime)
    {
        if (SignedInCaller.Require(context, out var claims) is { } refusal)
        {
            return refusal;
        }
        var (body, problem) = await AuthBody.ReadAsync(context, ["code", "recovery_code", "password"]);
        if (problem is not null)
        {
            return problem;
        }
        string? code, recoveryCode, password;
        var errors = new Dictionary<string, List<string>>();
        using (body)
        {
            code = body!.String("code", errors, required: false);
            recoveryCode = body.String("recovery_code", errors, required: false);
            password = body.String("password", errors, required: false);
        }
        if (errors.Count > 0)
        {
            return AuthBody.Invalid(errors);
        }
        if ((code is null ? 0 : 1) + (recoveryCode is null ? 0 : 1) + (password is null ? 0 : 1) != 1)
        {
            return AuthBody.InvalidBody("give exactly one of code, recovery_code or password");
        }
        var auth = runtime.Auth;
        var cancellationToken = context.RequestAborted;
        var state = await auth.Mfa.GetAsync(claims.Kind, claims.Subject, cancellationToken);
        if (state is not { Enabled: true, Secret: { } secret })
        {
            return new Problem(StatusCodes.Status409Conflict, ProblemCodes.Conflict, "TOTP is not enabled");
        }
        // A stolen access token must not make this a way to guess codes or the password.
        var throttleKey = ThrottleKey(claims.Subject);
        var address = Protection.ClientAddress.Of(context);
        if (await TooManyAttemptsAsync(auth, throttleKey, address) is { } wait)
        {
            return wait;
        }
        bool proven;
        if (password is not null)
        {
            var account = await auth.Store.FindByIdAsync(claims.Kind, claims.Subject, cancellationToken);
            proven = (await auth.Passwords.VerifyAsync(password, account?.PasswordHash, cancellationToken)).Valid;
        }
        else
        {
            proven = await VerifyAsync(auth, claims.Kind, claims.Subject, secret, state.LastStep, code, recoveryCode, cancellationToken);
        }
        if (!proven)
        {
            await auth.Throttle.FailedAsync(throttleKey, address);
            var field = code is not null ? "code" : recoveryCode is not null ? "recovery_code" : "password";
            return AuthBody.Invalid(field, "is not correct");
        }
        await auth.Throttle.SucceededAsync(throttleKey);
        await auth.Mfa.DisableAsync(claims.Kind, claims.Subject, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> LoginAsync(HttpContext context, SharpbaseRuntime runtime)
    {
        var (body, problem) = await AuthBody.ReadAsync(context, ["mfa_token", "code", "recovery_code"]);
        if (problem is not null)
        {
            return problem;
        }
        string? token, code, recoveryCode;
        var errors = new Dictionary<string, List<string>>();
        using (body)
        {
            token = body!.String("mfa_token", errors);
            code = body.String("code", errors, required: false);
            recoveryCode = body.String("recovery_code", errors, required: false);
        }
        if (errors.Count > 0)
        {
            return AuthBody.Invalid(errors);
        }
        if ((code is null) == (recoveryCode is null))
        {
            return AuthBody.InvalidBody("give exactly one of code or recovery_code");
        }
        var auth = runtime.Auth;
        var cancellationToken = context.RequestAborted;
        var now = auth.Now;
        var address = Protection.ClientAddress.Of(context);
        var target = token!.Length is > 0 and <= 256 ? await auth.Mfa.PeekOneTimeAsync(TokenPurpose, token, now, cancellationToken) : null;
        // An unknown token still counts against the client address; all such attempts share one account key.
        var throttleKey = ThrottleKey(target?.Id ?? "");
        if (await TooManyAttemptsAsync(auth, throttleKey, address) is { } wait)
        {
            return wait;
        }
        if (target is not { } account)
        {
            await auth.Throttle.FailedAsync(throttleKey, address);
            return InvalidCredentials();
        }
        var state = await auth.Mfa.GetAsync(account.Kind, account.Id, cancellationToken);
        var verified = state is { Enabled: true, Secret: { } secret }
            && await VerifyAsync(auth, account.Kind, account.Id, secret, state.LastStep, code, recoveryCode, cancellationToken);
        if (!verified)
        {
            await auth.Throttle.FailedAsync(throttleKey, address);
            return InvalidCredentials();
        }
        // The code is spent; the token too, unless a concurrent request took it first.
        if (!await auth.Mfa.ConsumeOneTimeAsync(TokenPurpose, token, auth.Now, cancellationToken))
        {
            return InvalidCredentials();
        }
        await auth.Throttle.SucceededAsync(throttleKey);
        return await SignIn.CompleteAsync(context, auth, account.Kind, account.Id, cancellationToken);
    }

    // Either proof uses itself up atomically: a TOTP step can be used once, a recovery code once.
    private static async Task<bool> VerifyAsync(AuthServices auth, string kind, string id, string secret, long lastStep, string? code, string? recoveryCode,
        CancellationToken cancellationToken)
    {
        if (code is not null)
        {
            return auth.Totp.TryVerify(secret, Digits(code), lastStep, out var step) && await auth.Mfa.AdvanceStepAsync(kind, id, step, cancellationToken);
        }
        return TotpVerifier.TryNormalizeRecoveryCode(recoveryCode, out var normalized)
            && await auth.Mfa.UseRecoveryCodeAsync(kind, id, SecureTokens.Hash(normalized), auth.Now, cancellationToken);
    }

    // Authenticator apps show "123 456"; people type it that way.
    private static string Digits(string code) => code.Length <= 16 ? code.Replace(" ", "", StringComparison.Ordinal) : code;

    private static string ThrottleKey(string accountId) => "mfa:" + accountId;

    private static async Task<Problem?> TooManyAttemptsAsync(AuthServices auth, string throttleKey, IPAddress? address)
    {
        var retryAfter = await auth.Throttle.RetryAfterAsync(throttleKey, address);
        return retryAfter > TimeSpan.Zero
            ? new Problem(StatusCodes.Status429TooManyRequests, ProblemCodes.TooManyAttempts, "too many failed attempts; retry later")
            {
                RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)),
            }
            : null;
    }

    private static Problem InvalidCredentials() => new(StatusCodes.Status401Unauthorized, ProblemCodes.InvalidCredentials,
        "the sign-in token or the code is not valid; sign in again if the token has expired")
    {
        Headers = new Dictionary<string, string> { [HeaderNames.WWWAuthenticate] = "Bearer" },
    };

    private static Problem AlreadyEnabled() =>
        new(StatusCodes.Status409Conflict, ProblemCodes.Conflict, "TOTP is already enabled; disable it first to set up a new authenticator");
}
