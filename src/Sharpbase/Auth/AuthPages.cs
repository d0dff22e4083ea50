using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Sharpbase.Auth;

/// <summary>
/// The pages the links in verification and reset mail open: <c>GET /auth/verify#token=…</c> and
/// <c>GET /auth/password/reset#token=…</c>. The token travels in the fragment, which browsers never
/// send, so it reaches no server or proxy log; the page takes it out of the address bar at once and
/// posts it to the JSON endpoint only when the person clicks, so a mail scanner that follows links
/// uses up nothing. Apps with their own pages point <c>auth.verify_path</c>/<c>reset_path</c> there.
/// </summary>
internal static class AuthPages
{
    public static IEndpointRouteBuilder MapAuthPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/auth/verify", (HttpContext context) => Page(context, VerifyTitle, VerifyForm)).ExcludeFromDescription();
        endpoints.MapGet("/auth/password/reset", (HttpContext context) => Page(context, ResetTitle, ResetForm)).ExcludeFromDescription();
        return endpoints;
    }

    private const string VerifyTitle = "Confirm your email address";
    private const string ResetTitle = "Choose a new password";

    private const string VerifyForm = """
        <form id="form" data-endpoint="/auth/verify" data-done="Your email address is confirmed. You can close this page.">
          <button type="submit">Confirm my address</button>
        </form>
        """;

    private const string ResetForm = """
        <form id="form" data-endpoint="/auth/password/reset" data-done="Your password is changed. Sign in with the new one.">
          <label>New password <input id="password" name="password" type="password" autocomplete="new-password" minlength="8" maxlength="128" required></label>
          <label>Repeat it <input id="repeat" type="password" autocomplete="new-password" required></label>
          <button type="submit">Change my password</button>
        </form>
        """;

    // The token is read once, then removed from the address bar and history.
    private const string Script = """
        const token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
        history.replaceState(null, '', location.pathname);
        const form = document.getElementById('form');
        const message = document.getElementById('message');
        const say = (text, ok) => { message.textContent = text; message.className = ok ? 'ok' : 'error'; };
        if (!token) { form.hidden = true; say('This link has no token. Open the link from the mail again.', false); }
        form.addEventListener('submit', async (event) => {
          event.preventDefault();
          const body = { token };
          const password = document.getElementById('password');
          if (password) {
            if (password.value !== document.getElementById('repeat').value) { say('The two passwords differ.', false); return; }
            body.password = password.value;
          }
          form.querySelector('button').disabled = true;
          try {
            const response = await fetch(form.dataset.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
            if (response.ok) { form.hidden = true; say(form.dataset.done, true); return; }
            const problem = await response.json().catch(() => ({}));
            const errors = problem.errors ? Object.entries(problem.errors).map(([field, list]) => (field === 'token' ? 'The link' : 'The ' + field) + ' ' + list.join(', ')) : [];
            say(errors.length ? errors.join('. ') + '.' : (problem.detail || problem.title || 'Something went wrong.'), false);
          } catch {
            say('The server could not be reached. Try again.', false);
          }
          form.querySelector('button').disabled = false;
        });
        """;

    private const string Style = """
        body { font: 16px/1.5 system-ui, sans-serif; max-width: 28rem; margin: 4rem auto; padding: 0 1rem; color: #1b1b1f; }
        label { display: block; margin: 0 0 1rem; } input { display: block; width: 100%; padding: .5rem; box-sizing: border-box; }
        button { padding: .5rem 1rem; } .ok { color: #146c2e; } .error { color: #b3261e; }
        """;

    private static IResult Page(HttpContext context, string title, string form)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";
        headers.CacheControl = "no-store";
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>{WebUtility.HtmlEncode(title)}</title>
            <style nonce="{nonce}">{Style}</style>
            </head>
            <body>
            <h1>{WebUtility.HtmlEncode(title)}</h1>
            {form}
            <p id="message" role="status"></p>
            <script nonce="{nonce}">{Script}</script>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
