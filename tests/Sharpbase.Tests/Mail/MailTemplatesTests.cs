using Sharpbase.Mail;

namespace Sharpbase.Tests.Mail;

public sealed class MailTemplatesTests
{
    [Theory]
    [InlineData("https://app.example.com", "/auth/verify", "https://app.example.com/auth/verify#token=")]
    [InlineData("https://app.example.com/", "auth/verify", "https://app.example.com/auth/verify#token=")]
    [InlineData("https://app.example.com/base/", "/reset", "https://app.example.com/base/reset#token=")]
    [InlineData("http://localhost:8090", "verify", "http://localhost:8090/verify#token=")]
    public void BuildLink_AbsoluteHttpUrl_JoinsWithOneSlash(string publicUrl, string path, string expectedPrefix)
    {
        Assert.Equal(expectedPrefix + "abc", MailTemplates.BuildLink(publicUrl, path, "abc"));
    }

    [Fact]
    public void BuildLink_TokenWithReservedCharacters_IsUrlEncoded()
    {
        var link = MailTemplates.BuildLink("https://app.example.com", "/verify", "a+b/c=d&e f#g");

        Assert.Equal("https://app.example.com/verify#token=a%2Bb%2Fc%3Dd%26e%20f%23g", link);
        Assert.Equal("a+b/c=d&e f#g", Uri.UnescapeDataString(new Uri(link).Fragment["#token=".Length..]));
    }

    [Theory]
    [InlineData("/relative")]
    [InlineData("app.example.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,hi")]
    [InlineData("ftp://app.example.com")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://app.example.com/?next=x")]
    [InlineData("https://app.example.com/#frag")]
    [InlineData("https://user:pw@app.example.com")]
    [InlineData("")]
    public void BuildLink_NotAnAbsoluteHttpUrl_Throws(string publicUrl)
    {
        Assert.Throws<ArgumentException>(() => MailTemplates.BuildLink(publicUrl, "/verify", "abc"));
    }

    [Theory]
    [InlineData("/../admin")]
    [InlineData("/verify?x=1")]
    [InlineData("/verify#x")]
    [InlineData("https://evil.example.com")]
    [InlineData("/a\\b")]
    [InlineData("/a b")]
    public void BuildLink_UnsafePath_Throws(string path)
    {
        Assert.Throws<ArgumentException>(() => MailTemplates.BuildLink("https://app.example.com", path, "abc"));
    }

    [Fact]
    public void BuildLink_PathLookingLikeAHost_StaysOnThePublicHost()
    {
        var link = new Uri(MailTemplates.BuildLink("https://app.example.com", "//evil.example.com/x", "abc"));

        Assert.Equal("app.example.com", link.Host);
        Assert.Equal("/evil.example.com/x", link.AbsolutePath);
    }

    [Fact]
    public void Templates_AppNameWithMarkup_IsHtmlEncodedInTheHtmlBody()
    {
        const string app = "<script>alert('x')</script> & \"Co\"";
        var link = MailTemplates.BuildLink("https://app.example.com", "/verify", "abc") + "&lang=<en>";

        foreach (var mail in AllTemplates("ada@example.com", app, link, 15))
        {
            Assert.DoesNotContain("<script>", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("href=\"https://app.example.com/verify#token=abc&amp;lang=&lt;en&gt;\"", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Contains(link, mail.TextBody, StringComparison.Ordinal);
            Assert.Contains("15 minutes", mail.TextBody, StringComparison.Ordinal);
            Assert.Contains("15 minutes", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Equal("ada@example.com", mail.To);
        }
    }

    [Fact]
    public void Templates_EachKind_HasItsOwnSubjectNamingTheApp()
    {
        var subjects = AllTemplates("ada@example.com", "Demo", "https://app.example.com/x?token=abc", 10).Select(m => m.Subject).ToList();

        Assert.Equal(3, subjects.Distinct().Count());
        Assert.All(subjects, s => Assert.Contains("Demo", s, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("/verify?token=abc")]
    public void Templates_LinkNotAbsoluteHttp_Throws(string link)
    {
        Assert.Throws<ArgumentException>(() => MailTemplates.Verification("ada@example.com", "Demo", link, 10));
    }

    private static IEnumerable<OutgoingMail> AllTemplates(string to, string app, string link, int minutes) =>
    [
        MailTemplates.Verification(to, app, link, minutes),
        MailTemplates.PasswordReset(to, app, link, minutes),
        MailTemplates.RegistrationAttempt(to, app, link, minutes),
    ];
}
