using Sharpbase.Schema;

namespace Sharpbase.Core.Tests.Schema;

public sealed class NameSuggestionsTests
{
    [Theory]
    [InlineData("user", "users")]
    [InlineData("Users", "users")]
    [InlineData("USERS", "users")]
    [InlineData("usres", "users")]
    [InlineData("tgs", "tags")]
    [InlineData("psts", "posts")]
    public void Closest_NearName_ReturnsCandidate(string name, string expected)
    {
        // Arrange
        string[] candidates = ["users", "posts", "tags"];

        // Act
        var closest = NameSuggestions.Closest(name, candidates);

        // Assert
        Assert.Equal(expected, closest);
    }

    [Theory]
    [InlineData("users")]
    [InlineData("comments")]
    [InlineData("usxxxs")]
    public void Closest_ExactOrFarName_ReturnsNull(string name)
    {
        // Arrange
        string[] candidates = ["users", "posts", "tags"];

        // Act
        var closest = NameSuggestions.Closest(name, candidates);

        // Assert
        Assert.Null(closest);
    }

    [Fact]
    public void Closest_CaseInsensitiveMatch_WinsOverCloserEdit()
    {
        // Arrange
        string[] candidates = ["tag", "Tags"];

        // Act
        var closest = NameSuggestions.Closest("tags", candidates);

        // Assert
        Assert.Equal("Tags", closest);
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("text", "txt", 1)]
    public void Levenshtein_Pairs_ReturnsEditDistance(string a, string b, int expected)
    {
        // Arrange, Act
        var distance = NameSuggestions.Levenshtein(a, b);

        // Assert
        Assert.Equal(expected, distance);
    }

    [Fact]
    public void DidYouMean_NoCandidateClose_ReturnsEmpty()
    {
        // Arrange, Act
        var hint = NameSuggestions.DidYouMean("zzzzzz", ["users"]);

        // Assert
        Assert.Equal("", hint);
    }
}
