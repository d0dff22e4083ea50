using Sharpbase.Schema;

namespace Sharpbase.Core.Tests.Query;

/// <summary>A schema with every field type, relations three hops deep, a multiple relation and hidden fields.</summary>
internal static class QueryTestSchema
{
    public const string Yaml = """
        collections:
          users:
            auth: true
            fields:
              name: { type: text }
              level: { type: integer }
              plan: { type: text }
              secret: { type: text, hidden: true }
              org: { type: relation, collection: orgs }
          orgs:
            fields:
              name: { type: text }
              country: { type: relation, collection: countries }
          countries:
            fields:
              name: { type: text }
              region: { type: relation, collection: regions }
          regions:
            fields:
              name: { type: text }
          tags:
            fields:
              name: { type: text }
          posts:
            fields:
              title: { type: text }
              email: { type: email }
              site: { type: url }
              ref: { type: uuid }
              status: { type: select, values: [draft, published] }
              author: { type: relation, collection: users }
              tags: { type: relation, collection: tags, multiple: true }
              views: { type: integer }
              score: { type: number }
              pinned: { type: boolean }
              published_at: { type: datetime }
              day: { type: date }
              meta: { type: json }
              secret_note: { type: text, hidden: true }
        """;

    public static AppSchema Schema { get; } = SchemaLoader.Parse(Yaml, "sharpbase.yaml").Schema
        ?? throw new InvalidOperationException("test schema does not load");

    public static CollectionDef Posts => Schema.FindCollection("posts")!;
}
