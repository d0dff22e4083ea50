using GraphQL.Types;
using Sharpbase.Schema;
using FieldType = GraphQL.Types.FieldType;
using StoredType = Sharpbase.Schema.FieldType;

namespace Sharpbase.GraphQL;

/// <summary>
/// Generates the GraphQL schema of an <see cref="AppSchema"/>: per collection a record type (hidden
/// fields absent), a connection type and an input type; relations as nested fields both ways; the
/// root fields <c>posts</c>, <c>post</c>, <c>createPost</c>, <c>updatePost</c>, <c>deletePost</c>.
/// </summary>
internal static class GraphQLSchemaBuilder
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "Query", "Mutation", "Subscription", "String", "Int", "Float", "Boolean", "ID", "Long", "JSON",
    };

    public static GraphQLApi Build(AppSchema source, IServiceProvider services)
    {
        var names = source.Collections.ToDictionary(c => c.Name, c => Names.Of(c.Name, Reserved), StringComparer.Ordinal);
        var scalars = new Scalars();
        var types = source.Collections.ToDictionary(c => c.Name, c => new ObjectGraphType { Name = names[c.Name].Type }, StringComparer.Ordinal);
        var members = new Dictionary<string, (CollectionDef, IReadOnlyDictionary<string, RecordMember>)>(StringComparer.Ordinal);
        foreach (var collection in source.Collections)
        {
            members[names[collection.Name].Type] = (collection, AddRecordFields(source, collection, types, names, scalars));
        }
        var query = new ObjectGraphType { Name = "Query" };
        var mutation = new ObjectGraphType { Name = "Mutation" };
        foreach (var collection in source.Collections)
        {
            var name = names[collection.Name];
            var record = types[collection.Name];
            query.AddField(new FieldType
            {
                Name = collection.Name,
                Description = $"A page of {collection.Name} the caller may list.",
                ResolvedType = new NonNullGraphType(Connection(name, record, scalars)),
                Arguments = ListArguments(scalars, withCursor: true),
                Resolver = GraphQLResolvers.Page(collection.Name),
            });
            query.AddField(new FieldType
            {
                Name = name.Single,
                Description = $"One record of {collection.Name}, or null when it does not exist or the caller may not view it.",
                ResolvedType = record,
                Arguments = new QueryArguments(new QueryArgument(new NonNullGraphType(scalars.Id)) { Name = "id" }),
                Resolver = GraphQLResolvers.One(collection.Name),
            });
            var input = Input(collection, name, scalars);
            mutation.AddField(new FieldType
            {
                Name = "create" + name.Type,
                ResolvedType = record,
                Arguments = new QueryArguments(new QueryArgument(new NonNullGraphType(input)) { Name = "data" }),
                Resolver = GraphQLResolvers.Create(collection.Name),
            });
            mutation.AddField(new FieldType
            {
                Name = "update" + name.Type,
                Description = "Changes the given fields (a merge patch: null clears a field).",
                ResolvedType = record,
                Arguments = new QueryArguments(new QueryArgument(new NonNullGraphType(scalars.Id)) { Name = "id" }, new QueryArgument(new NonNullGraphType(input)) { Name = "data" }),
                Resolver = GraphQLResolvers.Update(collection.Name),
            });
            mutation.AddField(new FieldType
            {
                Name = "delete" + name.Type,
                Description = "Deletes the record and returns its id.",
                ResolvedType = new NonNullGraphType(scalars.Id),
                Arguments = new QueryArguments(new QueryArgument(new NonNullGraphType(scalars.Id)) { Name = "id" }),
                Resolver = GraphQLResolvers.Delete(collection.Name),
            });
        }
        var schema = new global::GraphQL.Types.Schema(services) { Query = query, Mutation = mutation };
        schema.Initialize();
        return new GraphQLApi(source, schema, members);
    }

    private static Dictionary<string, RecordMember> AddRecordFields(AppSchema source, CollectionDef collection, Dictionary<string, ObjectGraphType> types,
        Dictionary<string, Names> names, Scalars scalars)
    {
        var type = types[collection.Name];
        var members = new Dictionary<string, RecordMember>(StringComparer.Ordinal);
        void Add(string name, IGraphType resolved, RecordMember member, QueryArguments? arguments = null)
        {
            if (members.ContainsKey(name))
            {
                return;
            }
            members[name] = member;
            type.AddField(new FieldType { Name = name, ResolvedType = resolved, Arguments = arguments, Resolver = GraphQLResolvers.Member });
        }
        Add(SystemFields.Id, new NonNullGraphType(scalars.Id), new RecordMember(SystemFields.Id, RecordMemberKind.Stored));
        Add(SystemFields.CreatedAt, new NonNullGraphType(scalars.String), new RecordMember(SystemFields.CreatedAt, RecordMemberKind.Stored));
        Add(SystemFields.UpdatedAt, new NonNullGraphType(scalars.String), new RecordMember(SystemFields.UpdatedAt, RecordMemberKind.Stored));
        Add(SystemFields.Version, new NonNullGraphType(scalars.Long), new RecordMember(SystemFields.Version, RecordMemberKind.Stored));
        var visible = collection.Fields.Where(f => !f.Hidden).ToList();
        foreach (var field in visible.Where(f => f.Type != StoredType.Relation))
        {
            Add(field.Name, scalars.Of(field.Type), new RecordMember(field.Name, RecordMemberKind.Stored));
        }
        foreach (var field in visible.Where(f => f.Type == StoredType.Relation))
        {
            var targetName = names[field.Target!].Type;
            if (field.Multiple)
            {
                Add(field.Name, new NonNullGraphType(new ListGraphType(new NonNullGraphType(types[field.Target!]))),
                    new RecordMember(field.Name, RecordMemberKind.ToMany, collection.Name, targetName), ListArguments(scalars, withCursor: false));
                Add(field.Name + "_ids", new NonNullGraphType(new ListGraphType(new NonNullGraphType(scalars.Id))), new RecordMember(field.Name, RecordMemberKind.Stored));
            }
            else
            {
                Add(field.Name, types[field.Target!], new RecordMember(field.Name, RecordMemberKind.ToOne, null, targetName));
                Add(field.Name + "_id", scalars.Id, new RecordMember(field.Name, RecordMemberKind.Stored));
            }
        }
        // Reverse relations: `posts` on users for posts.author, or `posts_by_author` when posts has several relations here.
        var pointing = source.Collections
            .SelectMany(c => c.Fields.Where(f => !f.Hidden && f.Type == StoredType.Relation && f.Target == collection.Name).Select(f => (Source: c, Field: f)))
            .ToList();
        foreach (var (owner, field) in pointing)
        {
            var name = pointing.Count(p => p.Source.Name == owner.Name) == 1 && !members.ContainsKey(owner.Name) ? owner.Name : owner.Name + "_by_" + field.Name;
            Add(name, new NonNullGraphType(new ListGraphType(new NonNullGraphType(types[owner.Name]))),
                new RecordMember(field.Name, RecordMemberKind.Reverse, owner.Name, names[owner.Name].Type), ListArguments(scalars, withCursor: false));
        }
        return members;
    }

    private static ObjectGraphType Connection(Names name, ObjectGraphType record, Scalars scalars)
    {
        var connection = new ObjectGraphType { Name = name.Type + "Connection", Description = "A page of records and the cursor of the next page." };
        connection.AddField(new FieldType { Name = "items", ResolvedType = new NonNullGraphType(new ListGraphType(new NonNullGraphType(record))), Resolver = GraphQLResolvers.PageMember("items") });
        connection.AddField(new FieldType { Name = "next_cursor", Description = "Pass as `after` for the next page; null on the last page.", ResolvedType = scalars.String, Resolver = GraphQLResolvers.PageMember("next_cursor") });
        connection.AddField(new FieldType { Name = "total", Description = "How many records match (counted only when selected).", ResolvedType = new NonNullGraphType(scalars.Int), Resolver = GraphQLResolvers.PageMember("total") });
        return connection;
    }

    private static InputObjectGraphType Input(CollectionDef collection, Names name, Scalars scalars)
    {
        var input = new InputObjectGraphType { Name = name.Type + "Input", Description = $"Fields of a record of {collection.Name}; validated like a REST body." };
        foreach (var field in collection.Fields.Where(f => !f.Hidden))
        {
            IGraphType type = field.Type switch
            {
                StoredType.Relation when field.Multiple => new ListGraphType(new NonNullGraphType(scalars.Id)),
                StoredType.Relation => scalars.Id,
                _ => scalars.Of(field.Type),
            };
            input.AddField(new FieldType { Name = field.Name, ResolvedType = type });
        }
        if (collection.Fields.All(f => f.Hidden))
        {
            input.AddField(new FieldType { Name = SystemFields.Id, ResolvedType = scalars.Id });
        }
        return input;
    }

    private static QueryArguments ListArguments(Scalars scalars, bool withCursor)
    {
        var arguments = new QueryArguments(
            new QueryArgument(scalars.String) { Name = "filter", Description = "A filter in the expression language, e.g. `status = \"published\"`." },
            new QueryArgument(scalars.String) { Name = "sort", Description = "Sort keys, e.g. `-published_at,title`." },
            new QueryArgument(scalars.Int) { Name = "limit", Description = "Most records returned." });
        if (withCursor)
        {
            arguments.Add(new QueryArgument(scalars.String) { Name = "after", Description = "The `next_cursor` of the previous page." });
        }
        return arguments;
    }

    /// <summary>The GraphQL names of a collection: <c>posts</c> → type <c>Post</c>, single field <c>post</c>.</summary>
    private sealed record Names(string Type, string Single)
    {
        public static Names Of(string collection, HashSet<string> reserved)
        {
            var single = Singular(collection);
            var type = string.Concat(single.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
            if (reserved.Contains(type) || type.StartsWith("__", StringComparison.Ordinal) || type.EndsWith("Connection", StringComparison.Ordinal) || type.EndsWith("Input", StringComparison.Ordinal))
            {
                type += "Record";
            }
            return new Names(type, single == collection ? collection + "_by_id" : single);
        }

        private static string Singular(string name)
        {
            if (name.EndsWith("ies", StringComparison.Ordinal) && name.Length > 3)
            {
                return name[..^3] + "y";
            }
            if (name.EndsWith("sses", StringComparison.Ordinal) || name.EndsWith("xes", StringComparison.Ordinal) || name.EndsWith("ches", StringComparison.Ordinal) || name.EndsWith("shes", StringComparison.Ordinal))
            {
                return name[..^2];
            }
            return name.EndsWith('s') && !name.EndsWith("ss", StringComparison.Ordinal) && name.Length > 1 ? name[..^1] : name;
        }
    }

    /// <summary>One instance of each scalar per schema.</summary>
    private sealed class Scalars
    {
        public IdGraphType Id { get; } = new();

        public StringGraphType String { get; } = new();

        public IntGraphType Int { get; } = new();

        public LongGraphType Long { get; } = new();

        private readonly FloatGraphType _float = new();
        private readonly BooleanGraphType _boolean = new();
        private readonly JsonScalar _json = new();

        public IGraphType Of(StoredType type) => type switch
        {
            StoredType.Integer => Long,
            StoredType.Number => _float,
            StoredType.Boolean => _boolean,
            StoredType.Json => _json,
            _ => String,
        };
    }
}
