using Sharpbase.Schema;

namespace Sharpbase.Core.Tests.Schema;

/// <summary>Each case puts one field into a valid schema, at line 8, and expects exactly one diagnostic there.</summary>
public sealed class SchemaLoaderFieldErrorTests
{
    private const string Template = """
        collections:
          users:
            auth: true
            fields:
              name: { type: text }
          posts:
            fields:
              FIELD
        """;

    [Theory]
    // type
    [InlineData("title: { type: txt }", "unknown type 'txt' (did you mean 'text'?)")]
    [InlineData("title: { type: Integer }", "unknown type 'Integer' (did you mean 'integer'?)")]
    [InlineData("title: { type: blob }", "unknown type 'blob'; one of: text, integer, number")]
    [InlineData("title: { type: [text] }", "'type' must be one of: text, integer, number, boolean, datetime, date, json, email, url, uuid, select, relation; not a list")]
    [InlineData("title: { required: true }", "'type' is required")]
    [InlineData("title: text", "a field must be a mapping such as { type: text }, not the string 'text'")]
    // keys and flags
    [InlineData("title: { type: text, maxx: 5 }", "unknown key 'maxx' (did you mean 'max'?)")]
    [InlineData("title: { type: text, Required: true }", "unknown key 'Required' (did you mean 'required'?)")]
    [InlineData("title: { type: text, required: yes }", "'required' must be true or false, not the string 'yes'")]
    [InlineData("title: { type: text, unique: \"true\" }", "'unique' must be true or false, not the string 'true'")]
    [InlineData("title: { type: text, hidden: 1 }", "'hidden' must be true or false, not the number 1")]
    // options that do not fit the type
    [InlineData("title: { type: text, values: [a] }", "'values' does not apply to type text")]
    [InlineData("title: { type: text, collection: users }", "'collection' does not apply to type text")]
    [InlineData("count: { type: integer, multiple: true }", "'multiple' does not apply to type integer")]
    [InlineData("count: { type: integer, pattern: \"^a\" }", "'pattern' does not apply to type integer")]
    [InlineData("key2: { type: uuid, pattern: \"^a\" }", "'pattern' does not apply to type uuid")]
    [InlineData("tags: { type: relation, collection: users, multiple: true, unique: true }", "'unique' does not apply to a multiple relation")]
    [InlineData("tags: { type: relation, collection: users, multiple: true, index: true }", "'index' does not apply to a multiple relation")]
    [InlineData("meta: { type: json, unique: true }", "'unique' does not apply to type json")]
    [InlineData("flag: { type: boolean, min: 0 }", "'min' does not apply to type boolean")]
    [InlineData("meta: { type: json, max: 3 }", "'max' does not apply to type json")]
    [InlineData("status: { type: select, values: [a], min: 1 }", "'min' does not apply to type select")]
    [InlineData("owner: { type: relation, collection: users, max: 1 }", "'max' does not apply to type relation")]
    // min and max
    [InlineData("title: { type: text, min: -1 }", "'min' must be a non-negative integer (a length in characters), not the number -1")]
    [InlineData("title: { type: email, max: 2.5 }", "'max' must be a non-negative integer")]
    [InlineData("title: { type: url, max: \"10\" }", "'max' must be a non-negative integer (a length in characters), not the string '10'")]
    [InlineData("count: { type: integer, min: 1.5 }", "'min' must be an integer, not the number 1.5")]
    [InlineData("score: { type: number, max: high }", "'max' must be a number, not the string 'high'")]
    [InlineData("title: { type: text, min: 5, max: 2 }", "'min' (5) is greater than 'max' (2)")]
    [InlineData("count: { type: integer, min: 10, max: -1 }", "'min' (10) is greater than 'max' (-1)")]
    [InlineData("at: { type: datetime, min: yesterday }", "'min' must be an ISO 8601 instant such as 2024-01-31T12:00:00Z, not the string 'yesterday'")]
    [InlineData("day: { type: date, max: 2024-13-01 }", "'max' must be an ISO 8601 date such as 2024-01-31")]
    [InlineData("day: { type: date, max: 2024-01-01T00:00:00Z }", "'max' must be an ISO 8601 date")]
    [InlineData("day: { type: date, min: 2024-02-01, max: 2024-01-01 }", "'min' (2024-02-01) is greater than 'max' (2024-01-01)")]
    [InlineData("at: { type: datetime, min: \"2024-01-01T01:00:00+02:00\", max: \"2023-12-31T22:00:00Z\" }", "'min' (2024-01-01T01:00:00+02:00) is greater than 'max'")]
    // pattern
    [InlineData("title: { type: text, pattern: \"[a-\" }", "'pattern' is not a valid .NET regular expression")]
    [InlineData("title: { type: text, pattern: 5 }", "'pattern' must be a regular expression string, not the number 5")]
    // select values
    [InlineData("status: { type: select }", "a select field needs 'values'")]
    [InlineData("status: { type: select, values: [] }", "'values' must be a non-empty list of strings, not an empty list")]
    [InlineData("status: { type: select, values: draft }", "'values' must be a non-empty list of strings, not the string 'draft'")]
    [InlineData("status: { type: select, values: [a, a] }", "select value 'a' is listed twice")]
    [InlineData("status: { type: select, values: [a, \"\"] }", "a select value must not be empty")]
    [InlineData("status: { type: select, values: [a, 1] }", "a select value must be a string, not the number 1; quote it")]
    [InlineData("status: { type: select, values: [a, true] }", "a select value must be a string, not true; quote it")]
    // relations
    [InlineData("owner: { type: relation }", "a relation needs 'collection'")]
    [InlineData("owner: { type: relation, collection: user }", "relation target 'user' does not exist (did you mean 'users'?)")]
    [InlineData("owner: { type: relation, collection: Users }", "relation target 'Users' does not exist (did you mean 'users'?)")]
    [InlineData("owner: { type: relation, collection: comments }", "relation target 'comments' does not exist")]
    [InlineData("owner: { type: relation, collection: [users] }", "'collection' must be a collection name, not a list")]
    [InlineData("owner: { type: relation, collection: users, multiple: maybe }", "'multiple' must be true or false")]
    // defaults
    [InlineData("at: { type: text, default: \"@now\" }", "'@now' is only a default for datetime and date fields")]
    [InlineData("title: { type: text, default: \"@auth.id\" }", "'@auth.id' is only a default for a relation to a single record")]
    [InlineData("tags: { type: relation, collection: users, multiple: true, default: \"@auth.id\" }", "'@auth.id' is only a default for a relation to a single record")]
    [InlineData("owner: { type: relation, collection: posts, default: \"@auth.id\" }", "'@auth.id' is the id of a record of the auth collection, but 'posts' is not the auth collection")]
    [InlineData("at: { type: datetime, default: \"@nw\" }", "unknown default '@nw' (did you mean '@now'?)")]
    [InlineData("count: { type: integer, default: \"5\" }", "default is not valid for type integer: expected a 64-bit integer, not the string '5'")]
    [InlineData("count: { type: integer, default: 1.5 }", "expected a 64-bit integer, not the number 1.5")]
    [InlineData("score: { type: number, default: abc }", "default is not valid for type number: expected a finite number, not the string 'abc'")]
    [InlineData("title: { type: text, default: 5 }", "default is not valid for type text: expected a string, not the number 5")]
    [InlineData("title: { type: text, default: false }", "expected a string, not false")]
    [InlineData("flag: { type: boolean, default: \"true\" }", "default is not valid for type boolean: expected true or false, not the string 'true'")]
    [InlineData("status: { type: select, values: [draft, published], default: drat }", "'drat' is not one of the values (did you mean 'draft'?)")]
    [InlineData("count: { type: integer, min: 1, default: 0 }", "0 is below min")]
    [InlineData("score: { type: number, max: 1, default: 1.5 }", "1.5 is above max")]
    [InlineData("title: { type: text, max: 3, default: toolong }", "its length 7 is above max")]
    [InlineData("day: { type: date, default: 2024-1-1 }", "'2024-1-1' is not an ISO 8601 date")]
    [InlineData("day: { type: date, min: 2024-01-01, default: 2023-12-31 }", "'2023-12-31' is before min")]
    [InlineData("at: { type: datetime, default: soon }", "'soon' is not an ISO 8601 instant")]
    [InlineData("key2: { type: uuid, default: abc }", "'abc' is not a UUID")]
    [InlineData("site: { type: url, default: \"ftp://example.com\" }", "'ftp://example.com' is not an absolute http or https URL")]
    [InlineData("mail: { type: email, default: nobody }", "'nobody' is not an e-mail address")]
    [InlineData("tags: { type: relation, collection: users, multiple: true, default: [] }", "a multiple relation cannot have a default")]
    // names
    [InlineData("id: { type: text }", "field name 'id' is a system field")]
    [InlineData("version: { type: integer }", "field name 'version' is a system field")]
    [InlineData("Title: { type: text }", "field name 'Title' must be snake_case")]
    [InlineData("2nd: { type: text }", "field name '2nd' must be snake_case")]
    [InlineData("_secret: { type: text }", "field name '_secret' must be snake_case")]
    [InlineData("from: { type: text }", "field name 'from' is an SQL keyword")]
    [InlineData("order: { type: integer }", "field name 'order' is an SQL keyword")]
    public void Parse_InvalidField_ReportsOneDiagnosticOnItsLine(string field, string expected)
    {
        // Arrange
        var yaml = Template.Replace("FIELD", field, StringComparison.Ordinal);

        // Act
        var result = SchemaLoader.Parse(yaml, "sharpbase.yaml");

        // Assert
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Contains(expected, diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(8, diagnostic.Line);
        Assert.Equal("sharpbase.yaml", diagnostic.File);
        Assert.StartsWith("collections.posts.fields.", diagnostic.Path, StringComparison.Ordinal);
        Assert.Null(result.Schema);
        Assert.False(result.Success);
    }

    [Theory]
    [InlineData("title: { type: text, min: 0, max: 10, pattern: \"^[a-z]+$\", default: abc }")]
    [InlineData("title: { type: text, default: \"0\" }")]
    [InlineData("count: { type: integer, min: -5, max: 5, default: -5 }")]
    [InlineData("score: { type: number, min: 0.5, max: 1e3, default: 2 }")]
    [InlineData("at: { type: datetime, min: 2024-01-01, default: \"@now\" }")]
    [InlineData("day: { type: date, min: 2024-01-01, max: 2024-12-31, default: 2024-06-01 }")]
    [InlineData("email: { type: email, unique: true }")]
    [InlineData("parent: { type: relation, collection: posts }")]
    [InlineData("owner: { type: relation, collection: users, default: \"@auth.id\", index: true, hidden: true }")]
    [InlineData("meta: { type: json, index: true, default: { a: [1, x] } }")]
    [InlineData("empty: { type: text, default: null }")]
    public void Parse_ValidField_Succeeds(string field)
    {
        // Arrange
        var yaml = Template.Replace("FIELD", field, StringComparison.Ordinal);

        // Act
        var result = SchemaLoader.Parse(yaml, "sharpbase.yaml");

        // Assert
        Assert.Empty(result.Diagnostics.Select(d => d.ToString()));
        Assert.True(result.Success);
    }

    [Fact]
    public void Parse_FieldNameLongerThan63_ReportsLength()
    {
        // Arrange
        var yaml = Template.Replace("FIELD", new string('a', 64) + ": { type: text }", StringComparison.Ordinal);

        // Act
        var result = SchemaLoader.Parse(yaml, "sharpbase.yaml");

        // Assert
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Contains("is longer than 63 characters", diagnostic.Message, StringComparison.Ordinal);
    }
}
