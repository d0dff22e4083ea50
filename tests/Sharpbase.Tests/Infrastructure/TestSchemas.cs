namespace Sharpbase.Tests.Infrastructure;

public static class TestSchemas
{
    /// <summary>Every field type and option, with relations in both shapes.</summary>
    /// <summary>
    /// <see cref="Everything"/> without the default 600-a-minute limit per address, for tests that
    /// send thousands of requests from one client.
    /// </summary>
    public const string EverythingUnlimited = Everything + """

        settings:
          rate_limits:
            - { name: tests, routes: ["/*"], per: ip, limit: 1000000, window: 1m }
        """;

    public const string Everything = """
        collections:
          owners:
            rules: { list: "true", view: "true", create: "true", update: "true", delete: "true" }
            fields:
              name: { type: text, required: true, max: 50 }
          tags:
            rules: { list: "true", view: "true", create: "true", update: "true", delete: "true" }
            fields:
              name: { type: text, required: true, unique: true, max: 20 }
          items:
            rules: { list: "true", view: "true", create: "true", update: "true", delete: "true" }
            fields:
              title:    { type: text, required: true, min: 2, max: 10 }
              code:     { type: text, pattern: "^[A-Z]{3}-[0-9]{3}$", unique: true }
              count:    { type: integer, min: 0, max: 100, default: 7 }
              price:    { type: number, min: 0.5, max: 99.5 }
              active:   { type: boolean, default: true }
              due:      { type: datetime, min: "2000-01-01T00:00:00Z", max: "2100-01-01T00:00:00Z" }
              day:      { type: date, min: "2000-01-01", max: "2099-12-31" }
              meta:     { type: json }
              email:    { type: email }
              site:     { type: url }
              ref:      { type: uuid }
              color:    { type: select, values: [red, green, blue], default: red }
              owner:    { type: relation, collection: owners }
              tags:     { type: relation, collection: tags, multiple: true }
              secret:   { type: text, hidden: true }
              stamp:    { type: text, readonly: true, default: "fixed" }
              seen_at:  { type: datetime, default: "@now" }
            indexes:
              - [color, due]
          notes:
            rules: { list: "true", view: "true", create: "true", update: "true", delete: "true" }
            fields:
              item: { type: relation, collection: items, required: true }
              text: { type: text }
        """;
}
